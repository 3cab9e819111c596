"""FastAPI dependencies in one place: settings, engine, the caller (address, session, officer), roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from api_client.models import OfficerPublic, Role

from .config import Settings
from .errors import ApiError
from .security import INVALID_TOKEN, TokenError, read_token
from .services import clock
from .services.audit import ClientInfo
from .services.geocoding import Geocode
from .services.sessions import check_session

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


def client_info(request: Request) -> ClientInfo:
    """Address, user agent, method and route of the request (for the audit log and throttling)."""
    return ClientInfo(address=request.client.host if request.client else None,
                      user_agent=request.headers.get("user-agent"), method=request.method,
                      path=request.url.path)


ClientDep = Annotated[ClientInfo, Depends(client_info)]


@dataclass(frozen=True)
class SessionInfo:
    """The signed-in officer with the login session and device the token belongs to."""

    officer: OfficerPublic
    session_id: str
    device_id: str


def get_current_session(
    request: Request,
    settings: SettingsDep,
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> SessionInfo:
    """The session named by a valid bearer token; 401 (with a code saying why) otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "Cần đăng nhập (missing bearer token)")
    secret, token, now = settings.secret_key or "", credentials.credentials, clock.now_utc().timestamp()
    try:
        claims = read_token(secret, token, now, verify_exp=False)
    except TokenError as exc:
        raise ApiError(401, exc.code, str(exc)) from exc
    request.state.officer_id = claims.officer_id  # the audit log's "who" even if refused below
    if claims.session_id is None:  # a token from before sessions existed cannot be revoked: refuse it
        raise ApiError(401, "invalid_token", INVALID_TOKEN)
    with engine.connect() as conn:
        # the session first: a revoked phone learns why, instead of refreshing in vain
        found = check_session(conn, claims.officer_id, claims.session_id)
    request.state.device_id = found.device_id
    if found.refusal is not None:
        raise found.refusal
    try:
        read_token(secret, token, now)
    except TokenError as exc:
        raise ApiError(401, exc.code, str(exc)) from exc
    assert found.officer is not None and found.device_id is not None
    return SessionInfo(found.officer, claims.session_id, found.device_id)


CurrentSession = Annotated[SessionInfo, Depends(get_current_session)]


def get_current_officer(session: CurrentSession) -> OfficerPublic:
    """The officer of a live session (see get_current_session for the refusals)."""
    return session.officer


CurrentOfficer = Annotated[OfficerPublic, Depends(get_current_officer)]


def require_supervisor(officer: CurrentOfficer) -> OfficerPublic:
    """The current officer if a supervisor, else 403."""
    if officer.role != Role.SUPERVISOR:
        raise ApiError(403, "forbidden", "Chỉ cán bộ giám sát được làm việc này (supervisor only)")
    return officer


SupervisorOnly = Annotated[OfficerPublic, Depends(require_supervisor)]
