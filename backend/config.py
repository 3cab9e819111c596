"""Server settings: one dataclass, filled from CLI flags or the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _default_secret(data_dir: Path) -> str:
    """A per-install signing key kept in the data dir, so tokens survive restarts."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass
class Settings:
    """Everything the server needs to know; tests build their own."""

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("DOORSTEP_DATA_DIR", "data")))
    database_url: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL"))
    secret_key: str | None = field(default_factory=lambda: os.environ.get("DOORSTEP_SECRET_KEY"))
    # issue 9: short access tokens, long rotating refresh tokens (the phone refreshes when online;
    # offline it keeps working on its cached data until the refresh token itself expires)
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_days: int = 14
    refresh_reuse_grace_s: int = 30  # a retried refresh whose answer was lost is not an attack
    # login throttling: N consecutive failures lock the account (period doubles per lockout, capped);
    # an address is blocked after M failures inside a window (same doubling)
    login_max_failures: int = 5
    lockout_minutes: int = 5
    lockout_max_minutes: int = 24 * 60
    address_max_failures: int = 20
    address_window_minutes: int = 15
    # the mounted web UI signs every browser in from the server itself: blocking loopback would let
    # 20 wrong passwords in one tab lock every tab out (per-account limits still apply to them);
    # behind a reverse proxy, uvicorn takes the client's address from X-Forwarded-For
    address_throttle_exempt: tuple[str, ...] = ("127.0.0.1", "::1")
    max_blob_bytes: int = 10 * 1024 * 1024
    web_ui: bool = True  # mount the Flet web UI at "/"
    public_url: str = "http://127.0.0.1:8000"  # how the mounted UI reaches this API
    failed_delivery_limit: int = 3
    # issue 4: where queued notices to citizens are POSTed (unset: they wait at the desk's outbox)
    notice_webhook_url: str | None = field(
        default_factory=lambda: os.environ.get("DOORSTEP_NOTICE_WEBHOOK_URL") or None)
    notice_interval_s: float = 30.0  # seconds between background dispatch runs

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.secret_key:
            self.secret_key = _default_secret(self.data_dir)

    @property
    def sqlalchemy_url(self) -> str:
        """DATABASE_URL normalised for SQLAlchemy + psycopg 3, or the SQLite file in data_dir."""
        url = self.database_url
        if not url:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{(self.data_dir / 'doorstep.db').resolve()}"
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url

    @property
    def blob_dir(self) -> Path:
        """Where partial uploads wait until they are complete."""
        path = self.data_dir / "blobs"
        path.mkdir(parents=True, exist_ok=True)
        return path
