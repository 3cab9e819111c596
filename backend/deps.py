"""FastAPI dependencies in one place: settings, engine, the signed-in officer, role checks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, select

from api_client.models import OfficerPublic, Role

from .config import Settings
from .db.schema import officers
from .errors import ApiError
from .security import TokenError, read_token
from .services.clock import now_utc
from .services.geocoding import Geocode
from .services.views import officer_public

_bearer = HTTPBearer(auto_error=False, description="Token from POST /api/v1/auth/login")


def get_settings(request: Request) -> Settings:
    """The Settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    """The app's SQLAlchemy engine (services open their own transactions)."""
    engine: Engine = request.app.state.engine
    return engine


def get_geocoder(request: Request) -> Geocode | None:
    """The deployment's rate-limited geocoder (services.geocoding), or None when none is configured."""
    geocoder: Geocode | None = getattr(request.app.state, "geocoder", None)
    return geocoder


SettingsDep = Annotated[Settings, Depends(get_settings)]
# typed Any for FastAPI, which inspects dependency annotations: the value is a Geocode or None
GeocoderDep = Annotated[Any, Depends(get_geocoder)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, "unauthorized", detail)


def get_current_officer(
    settings: SettingsDep,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> OfficerPublic:
    """The officer named by a valid bearer token; 401 when missing, forged, expired or inactive."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("Cần đăng nhập (missing bearer token)")
    try:
        officer_id = read_token(settings.secret_key or "", credentials.credentials, now=now_utc().timestamp())
    except TokenError as exc:
        raise _unauthorized(str(exc)) from exc
    with engine.connect() as conn:
        row = conn.execute(select(officers).where(officers.c.id == officer_id)).mappings().first()
        if row is None or not row["active"]:
            raise _unauthorized("Tài khoản không tồn tại hoặc đã bị khóa (account inactive)")
        return officer_public(conn, row)


CurrentOfficer = Annotated[OfficerPublic, Depends(get_current_officer)]


def require_supervisor(officer: CurrentOfficer) -> OfficerPublic:
    """The current officer if a supervisor, else 403."""
    if officer.role != Role.SUPERVISOR:
        raise ApiError(403, "forbidden", "Chỉ cán bộ giám sát được làm việc này (supervisor only)")
    return officer


SupervisorOnly = Annotated[OfficerPublic, Depends(require_supervisor)]
