"""The citizen's dossier lookup: by the receipt QR's token, or by the dossier code plus the last four
digits of the phone on file. It reveals a dossier's status in words, the appointment date and where
the result comes back, nothing else (no name, ID number, address or phone), and answers a wrong
token and a wrong code/phone pair the same way, so neither tells whether a dossier exists.
"""

from __future__ import annotations

import hmac
import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select, select

from api_client.domain.codes import LOOKUP_TOKEN_PATTERN
from api_client.domain.lifecycle import DossierStatus

from ..db.schema import citizens, dossiers, units
from .clock import VN_TZ, now_utc, parse_iso

TOKEN_RE = re.compile(LOOKUP_TOKEN_PATTERN)

# What a citizen reads: plain words, not the portal's status names (Vietnamese, English).
STATUS_WORDS: dict[DossierStatus, tuple[str, str]] = {
    DossierStatus.SUBMITTED: ("Đã đăng ký, chờ cán bộ tiếp nhận", "Registered, waiting to be received"),
    DossierStatus.ACCEPTED: ("Đã tiếp nhận, đang chờ giải quyết", "Received, waiting to be processed"),
    DossierStatus.REFUSED: ("Không được tiếp nhận", "Not accepted"),
    DossierStatus.PROCESSING: ("Đang giải quyết", "Being processed"),
    DossierStatus.SUPPLEMENT_REQUESTED: ("Cần bổ sung giấy tờ, cán bộ sẽ liên hệ",
                                         "Documents missing: an officer will contact you"),
    DossierStatus.FEE_REQUESTED: ("Chờ nộp phí, lệ phí", "Waiting for the fee"),
    DossierStatus.WITHDRAWN: ("Đã rút hồ sơ", "Withdrawn"),
    DossierStatus.STOPPED: ("Đã dừng giải quyết", "Processing stopped"),
    DossierStatus.RESULT_READY: ("Đã có kết quả, chờ trả", "Result ready"),
    DossierStatus.RETURNED: ("Đã trả kết quả", "Result handed over"),
}
RETURN_WORDS: dict[str, tuple[str, str]] = {
    "home": ("Tại nhà: cán bộ mang kết quả đến", "At home: an officer brings the result"),
    "post": ("Qua bưu điện (bưu chính công ích)", "By post (public postal service)"),
    "desk": ("Tại bộ phận một cửa {unit}", "At the one-stop desk of {unit}"),
}


@dataclass(frozen=True)
class PublicStatus:
    """Everything the public page may show about a dossier."""

    status: DossierStatus
    appointment: datetime | None  # Vietnam time
    return_method: str
    unit_name: str

    def status_words(self, lang: str) -> str:
        """The status in plain words."""
        return STATUS_WORDS[self.status][lang == "en"]

    def return_words(self, lang: str) -> str:
        """Where the result comes back."""
        words = RETURN_WORDS.get(self.return_method, RETURN_WORDS["desk"])
        return words[lang == "en"].format(unit=self.unit_name)


def _public(row: Any) -> PublicStatus:
    return PublicStatus(
        status=DossierStatus(row.status),
        appointment=parse_iso(row.appointment_at).astimezone(VN_TZ) if row.appointment_at else None,
        return_method=str(row.return_method),
        unit_name=str(row.unit_name),
    )


def _query() -> Select[Any]:
    return (select(dossiers.c.status, dossiers.c.appointment_at, dossiers.c.return_method,
                   units.c.name.label("unit_name"))
            .join(units, units.c.id == dossiers.c.unit_id))


def by_token(engine: Engine, token: str) -> PublicStatus | None:
    """The dossier whose receipt QR carries this token, or None."""
    token = (token or "").strip()
    if not TOKEN_RE.match(token):
        return None
    with engine.connect() as conn:
        row = conn.execute(_query().where(dossiers.c.lookup_token == token)).first()
    return _public(row) if row is not None else None


def by_code_and_phone(engine: Engine, code: str, last_digits: str) -> PublicStatus | None:
    """The dossier with this code whose citizen's phone ends with these 4 digits, or None."""
    code, last_digits = (code or "").strip().upper(), re.sub(r"\D", "", last_digits or "")
    if not code or len(code) > 60 or len(last_digits) != 4:
        return None
    with engine.connect() as conn:
        row = conn.execute(
            _query().add_columns(citizens.c.phone).join(citizens, citizens.c.id == dossiers.c.citizen_id)
            .where(dossiers.c.code == code)
        ).first()
    if row is None or not row.phone:
        return None
    phone_digits = re.sub(r"\D", "", row.phone)
    # constant-time: the comparison must not hint how many digits matched
    if len(phone_digits) < 4 or not hmac.compare_digest(phone_digits[-4:], last_digits):
        return None
    return _public(row)


class RateLimiter:
    """At most `limit` lookups per client address in any `window_s` seconds (in memory, per process)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit, self.window_s = limit, window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str) -> float:
        """Record one lookup; 0 when allowed, else the seconds to wait before the next one."""
        now = now_utc().timestamp()
        with self._lock:
            if len(self._hits) > 10_000:  # forget idle addresses: memory stays bounded
                self._hits = {a: q for a, q in self._hits.items() if q and now - q[-1] < self.window_s}
            hits = self._hits.setdefault(address, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1.0, self.window_s - (now - hits[0]))
            hits.append(now)
            return 0.0
