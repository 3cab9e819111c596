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
    token_ttl_hours: int = 24 * 7  # a week of offline work on one login
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
    notice_interval_s: float = 30.0  # seconds between background dispatch runs

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
