"""Login sessions: short access tokens, rotating refresh tokens bound to a device, revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from api_client.models import DevicePublic, OfficerPublic, TokenPublic

from ..config import Settings
from ..db.schema import auth_devices, auth_refresh_tokens, auth_sessions, officers
from ..errors import ApiError, not_found
from ..security import make_token, new_refresh_token, token_hash
from . import audit, clock
from .audit import ClientInfo
from .views import officer_public

# why a session ended -> (code, message) of the 401 its next request gets
REVOKED: dict[str, tuple[str, str]] = {
    "logout": ("session_revoked", "Phiên đăng nhập đã kết thúc (đã đăng xuất), vui lòng đăng nhập lại"),
    "password_changed": ("password_changed",
                         "Mật khẩu đã được đổi, vui lòng đăng nhập lại bằng mật khẩu mới"),
    "disabled": ("account_disabled", "Tài khoản đã bị vô hiệu hóa, hãy liên hệ cán bộ giám sát"),
    "device_revoked": ("device_revoked",
                       "Thiết bị này đã bị cán bộ giám sát thu hồi quyền truy cập; "
                       "hãy liên hệ cán bộ giám sát hoặc đăng nhập lại"),
    "reuse": ("refresh_reused", "Mã gia hạn phiên đã bị dùng lại nên phiên bị hủy để bảo vệ tài khoản, "
                                "vui lòng đăng nhập lại"),
}
DISABLED = REVOKED["disabled"]
BAD_REFRESH = ("refresh_invalid", "Phiên đăng nhập không hợp lệ, vui lòng đăng nhập lại")
REFRESH_EXPIRED = ("refresh_expired", "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại")


def revoked_error(reason: str | None) -> ApiError:
    """The 401 for a request on a session that ended for `reason`."""
    code, detail = REVOKED.get(reason or "", REVOKED["logout"])
    return ApiError(401, code, detail)


def _touch_device(conn: Connection, officer_id: int, device_id: str, client: ClientInfo, now: str) -> None:
    """Record that the device was seen now, from this address (a new device gets a row)."""
    q = select(auth_devices.c.id).where(auth_devices.c.officer_id == officer_id,
                                        auth_devices.c.device_id == device_id)
    values = {"last_seen_at": now, "last_address": client.address,
              "user_agent": (client.user_agent or "")[:200] or None}
    existing = conn.execute(q).scalar()
    if existing is None:
        conn.execute(insert(auth_devices).values(officer_id=officer_id, device_id=device_id,
                                                 first_seen_at=now, **values))
    else:
        conn.execute(update(auth_devices).where(auth_devices.c.id == existing).values(**values))


def issue(conn: Connection, settings: Settings, officer: OfficerPublic, device_id: str | None,
          client: ClientInfo, *, session_id: str | None = None) -> TokenPublic:
    """A new access + refresh token pair; a new session unless `session_id` continues one."""
    now = clock.now_utc()
    device = device_id or f"anon-{uuid.uuid4()}"
    refresh = new_refresh_token()
    refresh_exp = clock.iso(now + timedelta(days=settings.refresh_token_ttl_days))
    if session_id is None:
        session_id = str(uuid.uuid4())
        conn.execute(insert(auth_sessions).values(id=session_id, officer_id=officer.id, device_id=device,
                                                  created_at=clock.iso(now), expires_at=refresh_exp))
        # a fresh password login makes a revoked device usable again: the password re-proves identity
        conn.execute(update(auth_devices).where(auth_devices.c.officer_id == officer.id,
                                                auth_devices.c.device_id == device)
                     .values(revoked_at=None, revoked_by=None))
    else:
        conn.execute(update(auth_sessions).where(auth_sessions.c.id == session_id)
                     .values(expires_at=refresh_exp))
    conn.execute(insert(auth_refresh_tokens).values(token_hash=token_hash(refresh), session_id=session_id,
                                                    created_at=clock.iso(now), expires_at=refresh_exp))
    _touch_device(conn, officer.id, device, client, clock.iso(now))
    access, exp = make_token(settings.secret_key or "", officer.id, settings.access_token_ttl_s,
                             now.timestamp(), session_id=session_id)
    return TokenPublic(access_token=access, expires_at=datetime.fromtimestamp(exp, UTC).isoformat(),
                       expires_in=settings.access_token_ttl_s, officer=officer, refresh_token=refresh,
                       refresh_expires_at=refresh_exp, device_id=device)


def revoke_sessions(conn: Connection, reason: str, *, officer_id: int, device_id: str | None = None,
                    session_id: str | None = None) -> int:
    """End the officer's live sessions (all, one device's, or one); returns how many ended."""
    q = update(auth_sessions).where(auth_sessions.c.officer_id == officer_id,
                                    auth_sessions.c.revoked_at.is_(None))
    if device_id is not None:
        q = q.where(auth_sessions.c.device_id == device_id)
    if session_id is not None:
        q = q.where(auth_sessions.c.id == session_id)
    return int(conn.execute(q.values(revoked_at=clock.iso(clock.now_utc()), revoked_reason=reason)).rowcount)


@dataclass(frozen=True)
class SessionCheck:
    """A session's device and, when it is live, its officer; else the 401 saying why it is not."""

    device_id: str | None
    officer: OfficerPublic | None = None
    refusal: ApiError | None = None


def check_session(conn: Connection, officer_id: int, session_id: str) -> SessionCheck:
    """Whether the officer's session is live (one query for the officer and the session)."""
    row = conn.execute(
        select(officers, auth_sessions.c.device_id.label("session_device"),
               auth_sessions.c.revoked_at.label("session_revoked_at"), auth_sessions.c.revoked_reason)
        .join(auth_sessions, auth_sessions.c.officer_id == officers.c.id)
        .where(officers.c.id == officer_id, auth_sessions.c.id == session_id)
    ).mappings().first()
    if row is None:
        return SessionCheck(None, refusal=ApiError(401, *BAD_REFRESH))
    if row["session_revoked_at"] is not None:
        return SessionCheck(row["session_device"], refusal=revoked_error(row["revoked_reason"]))
    if not row["active"]:
        return SessionCheck(row["session_device"], refusal=ApiError(401, *DISABLED))
    return SessionCheck(row["session_device"], officer_public(conn, row))


def refresh(engine: Engine, settings: Settings, token: str, client: ClientInfo) -> TokenPublic:
    """Trade a refresh token for a new pair (rotation); a reused one ends its whole session."""
    now = clock.now_utc()
    error: ApiError | None = None
    result: TokenPublic | None = None
    with engine.begin() as conn:
        row = conn.execute(
            select(auth_refresh_tokens, auth_sessions.c.officer_id, auth_sessions.c.device_id,
                   auth_sessions.c.revoked_at, auth_sessions.c.revoked_reason)
            .join(auth_sessions, auth_sessions.c.id == auth_refresh_tokens.c.session_id)
            .where(auth_refresh_tokens.c.token_hash == token_hash(token))
            .with_for_update()
        ).mappings().first()
        who: dict[str, Any] = {"officer_id": row["officer_id"], "device_id": row["device_id"]} if row else {}
        if row is None:
            error = ApiError(401, *BAD_REFRESH)
        elif row["revoked_at"] is not None:
            error = revoked_error(row["revoked_reason"])
        elif clock.parse_iso(row["expires_at"]) <= now:
            error = ApiError(401, *REFRESH_EXPIRED)
        elif row["used_at"] is not None and not _within_grace(conn, settings, row, now):
            # someone else holds a copy of this token: end the session for both
            revoke_sessions(conn, "reuse", officer_id=row["officer_id"], session_id=row["session_id"])
            error = revoked_error("reuse")
        else:
            officer_row = conn.execute(select(officers).where(officers.c.id == row["officer_id"])
                                       ).mappings().one()
            if not officer_row["active"]:
                error = ApiError(401, *DISABLED)
            else:
                conn.execute(update(auth_refresh_tokens)
                             .where(auth_refresh_tokens.c.session_id == row["session_id"],
                                    auth_refresh_tokens.c.used_at.is_(None))
                             .values(used_at=clock.iso(now)))
                result = issue(conn, settings, officer_public(conn, officer_row), row["device_id"], client,
                               session_id=row["session_id"])
                audit.record(conn, "refresh", client, status=200, **who)
        if error is not None:
            event = "refresh_reused" if error.code == "refresh_reused" else "refresh_refused"
            audit.record(conn, event, client, status=401, code=error.code, **who)
    if error is not None:
        error.audited = True
        raise error
    assert result is not None
    return result


def _within_grace(conn: Connection, settings: Settings, row: Any, now: datetime) -> bool:
    """A rotated token presented again moments later, while no successor was ever used: the phone
    lost the answer to its refresh (a weak link), so it gets a new pair instead of a lockout."""
    if clock.parse_iso(row["used_at"]) < now - timedelta(seconds=settings.refresh_reuse_grace_s):
        return False
    later_used = conn.execute(
        select(func.count()).select_from(auth_refresh_tokens)
        .where(auth_refresh_tokens.c.session_id == row["session_id"],
               auth_refresh_tokens.c.token_hash != row["token_hash"],
               auth_refresh_tokens.c.created_at >= row["used_at"],
               auth_refresh_tokens.c.used_at.is_not(None))
    ).scalar_one()
    return int(later_used) == 0


def devices(conn: Connection, officer_id: int) -> list[DevicePublic]:
    """The officer's devices, most recently seen first, with their live session counts."""
    live = (select(func.count()).select_from(auth_sessions)
            .where(auth_sessions.c.officer_id == officer_id,
                   auth_sessions.c.device_id == auth_devices.c.device_id,
                   auth_sessions.c.revoked_at.is_(None),
                   auth_sessions.c.expires_at > clock.iso(clock.now_utc()))
            .scalar_subquery())
    rows = conn.execute(select(auth_devices, live.label("active_sessions"))
                        .where(auth_devices.c.officer_id == officer_id)
                        .order_by(auth_devices.c.last_seen_at.desc(), auth_devices.c.id)).mappings()
    return [DevicePublic.model_validate(dict(r)) for r in rows]


def revoke_device(conn: Connection, officer_id: int, device_id: str, by: int) -> DevicePublic:
    """Mark the device revoked and end its sessions (its refresh tokens die with them)."""
    found = conn.execute(update(auth_devices).where(auth_devices.c.officer_id == officer_id,
                                                    auth_devices.c.device_id == device_id)
                         .values(revoked_at=clock.iso(clock.now_utc()), revoked_by=by)).rowcount
    if not found:
        raise not_found("Không tìm thấy thiết bị")
    revoke_sessions(conn, "device_revoked", officer_id=officer_id, device_id=device_id)
    return next(d for d in devices(conn, officer_id) if d.device_id == device_id)
