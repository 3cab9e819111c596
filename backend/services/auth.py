"""Login (throttled), logout, password change, and officer accounts (creation, disable, lockout lift)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from api_client.models import (
    LockoutPublic,
    LoginRequest,
    OfficerCreate,
    OfficerPublic,
    PasswordChange,
    TokenPublic,
)

from ..config import Settings
from ..db.schema import officer_units, officers, units
from ..errors import ApiError, not_found
from ..security import hash_password, verify_password
from . import audit, clock, sessions, throttle
from .access import unit_scope
from .audit import ClientInfo
from .clock import VN_TZ, now_iso
from .views import officer_public, officer_unit_ids

BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu (wrong username or password)"
INACTIVE = "Tài khoản đã bị khóa (account disabled)"
OFFICER_NOT_FOUND = "Không tìm thấy cán bộ"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # checking unknown users against a real hash keeps response time from revealing usernames
    return hash_password("not-a-password")


def account_policy(settings: Settings) -> throttle.Policy:
    """N consecutive failures (within a day) lock the account."""
    return throttle.Policy(settings.login_max_failures, timedelta(days=1),
                           timedelta(minutes=settings.lockout_minutes),
                           timedelta(minutes=settings.lockout_max_minutes))


def address_policy(settings: Settings) -> throttle.Policy:
    """M failures within the window block the address (many accounts tried from one place)."""
    window = timedelta(minutes=settings.address_window_minutes)
    return throttle.Policy(settings.address_max_failures, window, window,
                           timedelta(minutes=settings.lockout_max_minutes))


def _vn_time(when: datetime) -> str:
    local = when.astimezone(VN_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _retry(until: datetime, now: datetime) -> dict[str, Any]:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    return {"headers": {"Retry-After": str(seconds)}, "locked_until": clock.iso(until),
            "retry_after": seconds}


def locked_error(until: datetime, now: datetime) -> ApiError:
    """423 for a locked account, saying when to retry (Vietnam time) and who can lift it."""
    return ApiError(423, "account_locked",
                    f"Tài khoản tạm khóa vì nhập sai mật khẩu nhiều lần. Thử lại sau {_vn_time(until)} "
                    "(giờ Việt Nam), hoặc nhờ cán bộ giám sát mở khóa.", **_retry(until, now))


def throttled_error(until: datetime, now: datetime) -> ApiError:
    """429 for an address that failed too often."""
    return ApiError(429, "too_many_attempts",
                    f"Có quá nhiều lần đăng nhập sai từ địa chỉ này. Thử lại sau {_vn_time(until)} "
                    "(giờ Việt Nam).", **_retry(until, now))


def _audited(error: ApiError) -> ApiError:
    error.audited = True
    return error


def login(engine: Engine, settings: Settings, body: LoginRequest, client: ClientInfo) -> TokenPublic:
    """Tokens for valid credentials of an active officer; failures count toward a lockout."""
    now = clock.now_utc()
    acct, addr = throttle.account_key(body.username), throttle.address_key(client.address)
    exempt = client.address in settings.address_throttle_exempt
    who: dict[str, Any] = {"username": body.username[:64], "device_id": body.device_id}
    with engine.begin() as conn:
        addr_until = None if exempt else throttle.locked_until(conn, addr, now)
        acct_until = None if addr_until else throttle.locked_until(conn, acct, now)
        refusal = (throttled_error(addr_until, now) if addr_until
                   else locked_error(acct_until, now) if acct_until else None)
        if refusal is not None:
            # the officer's id (when the name is theirs) lets their supervisor see the attempt
            known = conn.execute(select(officers.c.id).where(officers.c.username == body.username)).scalar()
            audit.record(conn, "login_throttled" if addr_until else "login_locked", client,
                         status=refusal.status, code=refusal.code, officer_id=known, **who)
    if refusal is not None:
        raise _audited(refusal)
    # scrypt runs outside any transaction: a slow hash must not hold SQLite's write lock
    with engine.connect() as conn:
        row = conn.execute(select(officers).where(officers.c.username == body.username)).mappings().first()
    ok = verify_password(body.password, row["password_hash"] if row else _dummy_hash())
    who["officer_id"] = row["id"] if row else None
    with engine.begin() as conn:
        if row is None or not ok:
            acct_until = throttle.fail(conn, acct, account_policy(settings), now)
            addr_until = None if exempt else throttle.fail(conn, addr, address_policy(settings), now)
            error = (locked_error(acct_until, now) if acct_until
                     else throttled_error(addr_until, now) if addr_until
                     else ApiError(401, "bad_credentials", BAD_LOGIN))
            audit.record(conn, "login_failed", client, status=error.status, code=error.code, **who)
        elif not row["active"]:
            throttle.reset(conn, acct, now)
            error = ApiError(401, "inactive", INACTIVE)
            audit.record(conn, "login_failed", client, status=401, code="inactive", **who)
        else:
            error = None
            throttle.reset(conn, acct, now)
            token = sessions.issue(conn, settings, officer_public(conn, row), body.device_id, client)
            audit.record(conn, "login_ok", client, status=200, **(who | {"device_id": token.device_id}))
    if error is not None:
        raise _audited(error)
    return token


def logout(engine: Engine, officer: OfficerPublic, session_id: str, device_id: str,
           client: ClientInfo) -> None:
    """End the caller's session: its access and refresh tokens stop working at once."""
    with engine.begin() as conn:
        sessions.revoke_sessions(conn, "logout", officer_id=officer.id, session_id=session_id)
        audit.record(conn, "logout", client, officer_id=officer.id, device_id=device_id, status=204)


def change_password(engine: Engine, settings: Settings, officer: OfficerPublic, device_id: str,
                    body: PasswordChange, client: ClientInfo) -> TokenPublic:
    """Set a new password, end every session of the officer, and sign this device in afresh."""
    now = clock.now_utc()
    with engine.connect() as conn:
        stored = conn.execute(select(officers.c.password_hash)
                              .where(officers.c.id == officer.id)).scalar_one()
    ok = verify_password(body.current_password, stored)
    who = {"officer_id": officer.id, "device_id": device_id}
    with engine.begin() as conn:
        if not ok:
            # a stolen token must not become a way to guess the password: failures count here too
            until = throttle.fail(conn, throttle.account_key(officer.username), account_policy(settings), now)
            error = locked_error(until, now) if until else ApiError(
                403, "bad_password", "Mật khẩu hiện tại không đúng")
            audit.record(conn, "password_change_failed", client, status=error.status, code=error.code, **who)
        else:
            error = None
            conn.execute(update(officers).where(officers.c.id == officer.id)
                         .values(password_hash=hash_password(body.new_password)))
            ended = sessions.revoke_sessions(conn, "password_changed", officer_id=officer.id)
            token = sessions.issue(conn, settings, officer, device_id, client)
            audit.record(conn, "password_changed", client, status=200, detail=f"{ended} sessions ended",
                         **who)
    if error is not None:
        raise _audited(error)
    return token


def managed_officer(conn: Connection, supervisor: OfficerPublic, officer_id: int) -> dict[str, Any]:
    """The officer's row (active or not) if all their units lie in the supervisor's scope, else 404."""
    row = conn.execute(select(officers).where(officers.c.id == officer_id)).mappings().first()
    theirs = set(officer_unit_ids(conn, officer_id)) if row else set()
    if row is None or not theirs or not theirs <= unit_scope(conn, supervisor.unit_ids):
        raise not_found(OFFICER_NOT_FOUND)
    return dict(row)


def lockout(engine: Engine, supervisor: OfficerPublic, officer_id: int) -> LockoutPublic:
    """Whether the officer's account is locked now, and until when."""
    with engine.connect() as conn:
        row = managed_officer(conn, supervisor, officer_id)
        failures, until = throttle.state(conn, throttle.account_key(row["username"]), clock.now_utc())
    return LockoutPublic(officer_id=officer_id, locked=until is not None,
                         locked_until=clock.iso(until) if until else None, failures=failures,
                         active=bool(row["active"]))


def lift_lockout(engine: Engine, supervisor: OfficerPublic, officer_id: int,
                 client: ClientInfo) -> LockoutPublic:
    """A supervisor of the officer's unit lets them try again now."""
    with engine.begin() as conn:
        row = managed_officer(conn, supervisor, officer_id)
        was = throttle.reset(conn, throttle.account_key(row["username"]), clock.now_utc())
        audit.record(conn, "lockout_lifted", client, officer_id=supervisor.id, target_officer_id=officer_id,
                     status=200, detail="was locked" if was else "was not locked")
    return LockoutPublic(officer_id=officer_id, locked=False, active=bool(row["active"]))


def set_active(engine: Engine, supervisor: OfficerPublic, officer_id: int, active: bool,
               client: ClientInfo) -> OfficerPublic:
    """Disable (ending every session) or enable an officer of the supervisor's units."""
    with engine.begin() as conn:
        row = managed_officer(conn, supervisor, officer_id)
        if row["id"] == supervisor.id:
            raise ApiError(409, "own_account", "Không thể tự vô hiệu hóa hoặc kích hoạt tài khoản của mình")
        conn.execute(update(officers).where(officers.c.id == officer_id).values(active=active))
        ended = 0 if active else sessions.revoke_sessions(conn, "disabled", officer_id=officer_id)
        audit.record(conn, "officer_enabled" if active else "officer_disabled", client,
                     officer_id=supervisor.id, target_officer_id=officer_id, status=200,
                     detail=f"{ended} sessions ended")
        return officer_public(conn, {**row, "active": active})


def create_officer(engine: Engine, supervisor: OfficerPublic, body: OfficerCreate) -> OfficerPublic:
    """A new officer account in units the supervisor covers."""
    with engine.begin() as conn:
        known = set(conn.execute(select(units.c.id).where(units.c.id.in_(body.unit_ids))).scalars())
        unknown = sorted(set(body.unit_ids) - known)
        if unknown:
            raise ApiError(422, "validation_error", f"Đơn vị không tồn tại: {unknown} (unknown units)")
        outside = sorted(set(body.unit_ids) - unit_scope(conn, supervisor.unit_ids))
        if outside:
            raise ApiError(403, "forbidden",
                           f"Đơn vị {outside} ngoài phạm vi quản lý (units outside your scope)")
        taken = conn.execute(select(officers.c.id).where(officers.c.username == body.username)).first()
        if taken:
            raise ApiError(409, "username_taken", f"Tên đăng nhập '{body.username}' đã có (username taken)")
        officer_id = conn.execute(insert(officers).values(
            username=body.username, password_hash=hash_password(body.password), full_name=body.full_name,
            role=body.role.value, phone=body.phone, active=True, created_at=now_iso(),
        ).returning(officers.c.id)).scalar_one()
        for uid in sorted(set(body.unit_ids)):
            conn.execute(insert(officer_units).values(officer_id=officer_id, unit_id=uid))
        row = conn.execute(select(officers).where(officers.c.id == officer_id)).mappings().one()
        return officer_public(conn, row)
