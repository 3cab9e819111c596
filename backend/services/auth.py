"""Login and officer accounts."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Engine, insert, select

from api_client.models import LoginRequest, OfficerCreate, OfficerPublic, TokenPublic

from ..config import Settings
from ..db.schema import officer_units, officers, units
from ..errors import ApiError
from ..security import hash_password, make_token, verify_password
from .access import unit_scope
from .clock import now_iso, now_utc
from .views import officer_public

BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu (wrong username or password)"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # checking unknown users against a real hash keeps response time from revealing usernames
    return hash_password("not-a-password")


def login(engine: Engine, settings: Settings, body: LoginRequest) -> TokenPublic:
    """A bearer token for valid credentials of an active officer, else 401."""
    with engine.connect() as conn:
        row = conn.execute(select(officers).where(officers.c.username == body.username)).mappings().first()
        ok = verify_password(body.password, row["password_hash"] if row else _dummy_hash())
        if row is None or not ok:
            raise ApiError(401, "bad_credentials", BAD_LOGIN)
        if not row["active"]:
            raise ApiError(401, "inactive", "Tài khoản đã bị khóa (account disabled)")
        officer = officer_public(conn, row)
    token, exp = make_token(settings.secret_key or "", officer.id, settings.token_ttl_hours * 3600,
                            now=now_utc().timestamp())
    return TokenPublic(access_token=token, expires_at=datetime.fromtimestamp(exp, UTC).isoformat(),
                       officer=officer)


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
