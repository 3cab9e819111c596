"""The scenario behind the authorization matrix: commune X's things, and the parties who must not reach them.

Commune X (the world of `builders.world`) holds the "other party's" data: officer a's visits, dossiers,
citizens, a photo, a GPS track, a handover, a notice, a notification of X's supervisor, an apology.
The actors who try to reach it: callers without a valid token (none, forged, expired, revoked), an
officer of commune Y, the postal worker of X (who has no visit of a), the supervisor of commune Y,
and the supervisor of another province.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import builders
import eventkit
import httpx
from sqlalchemy import Engine, insert, select, text
from supervisionkit import track_body
from testkit import TEST_SECRET, LiveServer

from api_client.domain.clock import now_utc

BAD_TOKEN_ACTORS = ("no_token", "forged_token", "expired_token", "revoked_token")
OTHER_PARTIES = ("officer_other_commune", "postal_worker", "supervisor_other_commune",
                 "province_supervisor")
ACTORS = BAD_TOKEN_ACTORS + OTHER_PARTIES
USERNAMES = {"officer_other_commune": "can_bo_y", "postal_worker": "buu_ta",
             "supervisor_other_commune": "giam_sat_y", "province_supervisor": "giam_sat_tinh_khac"}
SUPERVISOR_ACTORS = ("supervisor_other_commune", "province_supervisor")

# the matrix servers' business clock: after the scenario's track day, whatever the tests' pinned day
MATRIX_NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
TRACK_DAY = "2026-11-20"  # officer a's recorded day (Vietnam time)
PHOTO = b"\xff\xd8\xff\xe0" + b"ANH-GIAY-TO-BI-MAT-XA-X" * 50
HANDOVER_NOTE = "GHI-CHU-BAN-GIAO-XA-X"
NOTIFICATION_TEXT = "THONG-BAO-RIENG-GIAM-SAT-X"
APOLOGY_REASON = "LY-DO-XIN-LOI-XA-X"


@dataclass
class Scenario:
    """Ids of commune X's things, the actors' tokens, and the strings nobody outside X may receive."""

    w: builders.World
    api: str
    tokens: dict[str, str | None]
    photo_sha: str = ""
    handover_id: int = 0
    notice_id: int = 0
    notification_id: int = 0
    victim: int = 0  # an officer of X for the account routes (disable, devices)
    login_victim: str = "can_bo_khoa"
    other_ids: dict[str, int] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)

    def login(self, username: str, password: str = builders.PASSWORD, device_id: str | None = None) -> str:
        """A fresh access token for the username."""
        body = {"username": username, "password": password} | ({"device_id": device_id} if device_id else {})
        r = httpx.post(f"{self.api}/auth/login", json=body, timeout=30)
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])


def build(server: LiveServer) -> Scenario:
    """Commune X's data (through the API where the phone or the desk would make it) and the actors."""
    engine = server.engine
    w = builders.world(engine)
    with engine.begin() as conn:
        other = builders.unit_tree(conn, "000.00.99.H01", "Xã Tỉnh Khác")  # another province
        officer_y = builders.officer(conn, "can_bo_y", "hamlet_officer", [w.y["hamlets"][0]])
        builders.visit(conn, w.dossiers["y_pickup"], officer_y)
        builders.officer(conn, "giam_sat_tinh_khac", "supervisor", [other["province"]])
        victim = builders.officer(conn, "can_bo_c", "hamlet_officer", [w.x["hamlets"][0]])
        builders.officer(conn, "can_bo_khoa", "hamlet_officer", [w.x["hamlets"][0]])
        # a dossier of X with no visit yet: the one a desk may plan a pickup for (no duplicates)
        w.dossiers["x_unvisited"] = builders.dossier(conn, w.citizens["cuong"], w.x["commune"],
                                                     hamlet_id=w.x["hamlets"][1])
    s = Scenario(w=w, api=server.api, tokens={}, victim=victim,
                 other_ids={"officer_y": officer_y, "province_q": other["province"]})
    a = httpx.Client(base_url=server.api, timeout=30, headers=_bearer(s.login("can_bo_a")))
    sx = httpx.Client(base_url=server.api, timeout=30, headers=_bearer(s.login("giam_sat_x")))
    # officer a picks up dossier pickup_a with a photo, and records a GPS track
    s.photo_sha = hashlib.sha256(PHOTO).hexdigest()
    put = a.put(f"/blobs/{s.photo_sha}", params={"offset": 0, "total": len(PHOTO)}, content=PHOTO,
                headers={"Content-Type": "image/jpeg"})
    assert put.status_code == 200 and put.json()["complete"], put.text
    ev = eventkit.pickup(w.visits["pickup_a"], w.citizen_ids["an"],
                         photos=[eventkit.photo(PHOTO, "to_khai")])
    res = a.post("/sync/push", json={"events": [ev]}).json()["results"][0]
    assert res["status"] == "applied", res
    t0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
    track = track_body([(t0.replace(minute=m), 10.8712 + m / 10000, 105.0871, 5.0) for m in range(0, 30, 5)])
    assert a.post("/tracks", json=track).status_code == 200
    # the desk hands result delivery_a to officer a (a has not confirmed yet), apologises for it
    r = sx.post("/handovers", json={"direction": "desk_to_officer", "dossier_ids": [w.dossiers["delivery_a"]],
                                    "counterpart_id": w.officer_a, "note": HANDOVER_NOTE})
    assert r.status_code == 201, r.text
    s.handover_id = r.json()["id"]
    r = sx.post(f"/dossiers/{w.dossiers['delivery_a']}/apology",
                json={"reason": APOLOGY_REASON, "new_date": "2099-02-02"})
    assert r.status_code == 201, r.text
    s.notice_id, s.notification_id = _notice_and_notification(engine, w)
    s.login("can_bo_c", device_id="c-phone")
    a.close()
    sx.close()
    s.tokens = tokens(server, s)
    s.secrets = _secrets(engine, w)
    return s


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _notice_and_notification(engine: Engine, w: builders.World) -> tuple[int, int]:
    from backend.db.schema import notices, notifications

    now = now_utc().isoformat()
    with engine.begin() as conn:
        notice = conn.execute(insert(notices).values(
            dossier_id=w.dossiers["delivery_a"], phone="0987654321", kind="result_ready",
            text="Kính gửi Trần Thị Bình: kết quả đã sẵn sàng", state="queued", attempts=0, created_at=now,
        ).returning(notices.c.id)).scalar_one()
        note = conn.execute(insert(notifications).values(
            officer_id=w.supervisor_x, kind="returned_to_desk", text=NOTIFICATION_TEXT, created_at=now,
        ).returning(notifications.c.id)).scalar_one()
    return int(notice), int(note)


def _secrets(engine: Engine, w: builders.World) -> list[str]:
    """What only commune X's rightful parties may receive: citizens, dossier codes, a's account..."""
    from backend.db.schema import dossiers

    x_dossiers = [w.dossiers[k] for k in ("pickup_a", "pickup_a2", "delivery_a", "pickup_b")]
    with engine.connect() as conn:
        codes = list(conn.execute(select(dossiers.c.code).where(dossiers.c.id.in_(x_dossiers))).scalars())
    people = ["Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Cường"]
    numbers = [w.citizen_ids[k] for k in ("an", "binh", "cuong")]
    return [*people, *numbers, *codes, "can_bo_a", "ANH-GIAY-TO-BI-MAT", HANDOVER_NOTE, NOTIFICATION_TEXT,
            APOLOGY_REASON]


def tokens(server: LiveServer, s: Scenario) -> dict[str, str | None]:
    """One token per actor: none, forged, expired, revoked (all of officer a), then real logins."""
    a = s.w.officer_a
    out: dict[str, str | None] = {
        "no_token": None,
        "forged_token": builders.session_token(server.engine, "not-the-server-secret", a),
        "expired_token": builders.session_token(server.engine, TEST_SECRET, a, ttl_seconds=-60),
        "revoked_token": builders.session_token(server.engine, TEST_SECRET, a, revoked_reason="logout"),
    }
    for actor, username in USERNAMES.items():
        out[actor] = s.login(username)
    return out


def body_text(response: httpx.Response) -> str:
    """What a response carries, as text: JSON/CSV/GPX as is, XLSX unzipped ("" for PDF and images)."""
    content = response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    if content.startswith(b"%PDF"):
        return ""
    return content.decode("utf-8", "replace")


def leaked(response: httpx.Response, s: Scenario) -> list[str]:
    """Commune X's secrets found in a response (the photo's bytes count too)."""
    found = [x for x in s.secrets if x in body_text(response)]
    if b"ANH-GIAY-TO-BI-MAT" in response.content and "ANH-GIAY-TO-BI-MAT" not in found:
        found.append("ANH-GIAY-TO-BI-MAT")
    return found


FINGERPRINT_SQL = {
    "visits": "SELECT id, assignee_id, status, planned_date, version, evidence FROM visits ORDER BY id",
    "dossiers": "SELECT id, status, appointment_at, updated_at FROM dossiers ORDER BY id",
    "citizens": "SELECT id, full_name, phone, address, updated_at FROM citizens ORDER BY id",
    "officers": "SELECT id, username, password_hash, active, role FROM officers ORDER BY id",
    "officer_units": "SELECT officer_id, unit_id FROM officer_units ORDER BY officer_id, unit_id",
    "handovers": "SELECT id, giver_confirmed_at, receiver_confirmed_at FROM handovers ORDER BY id",
    "handover_items": "SELECT handover_id, dossier_id FROM handover_items ORDER BY handover_id, dossier_id",
    "notices": "SELECT id, state, sent_at FROM notices ORDER BY id",
    "apologies": "SELECT id, dossier_id FROM apologies ORDER BY id",
    "notifications": "SELECT id, read_at FROM notifications ORDER BY id",
    "blobs": "SELECT sha256, complete, uploaded_by FROM blobs ORDER BY sha256",
}


def fingerprint(engine: Engine, s: Scenario) -> dict[str, Any]:
    """Commune X's state: what no other party's request may change."""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for name, sql in FINGERPRINT_SQL.items():
            out[name] = [tuple(str(v) for v in row) for row in conn.execute(text(sql))]
        x_people = (s.w.officer_a, s.w.officer_b, s.victim, s.w.supervisor_x)
        people = ",".join(str(i) for i in x_people)
        for name, sql in (("sessions", "SELECT id, revoked_at FROM auth_sessions"),
                          ("devices", "SELECT device_id, revoked_at, last_seen_at FROM auth_devices")):
            out[name] = [tuple(str(v) for v in row)
                         for row in conn.execute(text(f"{sql} WHERE officer_id IN ({people}) ORDER BY 1"))]
    return out


def new_id() -> str:
    """A fresh UUID string."""
    return str(uuid.uuid4())
