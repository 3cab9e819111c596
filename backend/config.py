"""Server settings: one dataclass, filled from CLI flags or the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from api_client.domain.clock import Clock, ShiftedClock, SystemClock


def _default_secret(data_dir: Path) -> str:
    """A per-install signing key kept in the data dir, so tokens survive restarts.

    Several workers may start at once on a fresh data dir: the key is written whole to a private
    temp file (O_CREAT|O_EXCL, mode 0600) and then hard-linked into place, which fails if another
    process got there first; the loser reads the winner's key, so every worker signs alike.
    """
    path = data_dir / "secret.key"
    if path.exists():
        return _read_secret(path)
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = data_dir / f".secret.key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # atomic, and never replaces a key already there
        except FileExistsError:
            return _read_secret(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def _read_secret(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set DOORSTEP_SECRET_KEY")
    return key


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


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
    # the public page where citizens look a dossier up (the receipt's QR); None: <public_url>/tra-cuu
    lookup_base_url: str | None = field(
        default_factory=lambda: os.environ.get("DOORSTEP_LOOKUP_BASE_URL") or None)
    failed_delivery_limit: int = 3
    # issue 4: where queued notices to citizens are POSTed (unset: they wait at the desk's outbox)
    notice_webhook_url: str | None = field(
        default_factory=lambda: os.environ.get("DOORSTEP_NOTICE_WEBHOOK_URL") or None)
    # seconds between background dispatch runs in the API
    notice_interval_s: float = field(
        default_factory=lambda: float(os.environ.get("DOORSTEP_NOTICE_INTERVAL_S") or 30.0))
    # issue 11: how long a dispatcher holds a claimed notice (renewed before each send)
    notice_lease_s: float = 120.0
    # run the background dispatcher inside each API worker (off when `doorstep dispatch` runs apart)
    notice_dispatch: bool = True
    # business time: every request, background task and the web UI read this clock
    clock: Clock = field(default_factory=SystemClock, repr=False)
    # issue 10: a Nominatim the deployment runs, e.g. "http://10.0.0.5:8080" (unset: no geocoding,
    # households without coordinates are placed at their hamlet's centre, marked approximate)
    geocoder_url: str | None = field(default_factory=lambda: os.environ.get("DOORSTEP_GEOCODER_URL") or None)
    geocoder_timeout_s: float = 5.0
    geocoder_min_delay_s: float = 1.0  # Nominatim's usage policy: at most one request a second
    geocoder_user_agent: str = "doorstep/0.1 (commune one-stop home service)"
    lookup_rate_limit: int = 30  # lookups one client address may make per window
    lookup_rate_window_s: float = 600.0

    @classmethod
    def from_env(cls) -> Settings:
        """Settings for a worker process started by `doorstep serve --workers N`."""
        env = os.environ
        settings = cls()  # data dir, database, secret, webhook and interval come from the environment
        settings.web_ui = _flag(env.get("DOORSTEP_WEB_UI"), settings.web_ui)
        settings.notice_dispatch = _flag(env.get("DOORSTEP_NOTICE_DISPATCH"), settings.notice_dispatch)
        settings.public_url = env.get("DOORSTEP_PUBLIC_URL") or settings.public_url
        if env.get("DOORSTEP_CLOCK_START"):  # `doorstep --now …` reaches every worker
            settings.clock = ShiftedClock(datetime.fromisoformat(env["DOORSTEP_CLOCK_START"]))
        return settings

    def to_env(self) -> dict[str, str]:
        """The environment from which `from_env` rebuilds these settings (the secret stays on disk)."""
        env = {"DOORSTEP_DATA_DIR": str(self.data_dir.resolve()), "DOORSTEP_WEB_UI": str(int(self.web_ui)),
               "DOORSTEP_NOTICE_DISPATCH": str(int(self.notice_dispatch)),
               "DOORSTEP_PUBLIC_URL": self.public_url,
               "DOORSTEP_NOTICE_INTERVAL_S": str(self.notice_interval_s)}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if self.notice_webhook_url:
            env["DOORSTEP_NOTICE_WEBHOOK_URL"] = self.notice_webhook_url
        if not isinstance(self.clock, SystemClock):
            # workers start a moment later; they pick the clock up where it stands now
            env["DOORSTEP_CLOCK_START"] = self.clock.now().isoformat()
        return env

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.secret_key:
            self.secret_key = _default_secret(self.data_dir)

    @property
    def lookup_url(self) -> str:
        """Where the receipt's QR sends a citizen: lookup_base_url, or this server's /tra-cuu."""
        return (self.lookup_base_url or f"{self.public_url.rstrip('/')}/tra-cuu").rstrip("/")

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
