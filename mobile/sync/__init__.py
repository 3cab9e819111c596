"""The sync engine: blobs up, outbox up, changes down (no UI code)."""

from .engine import NotLoggedIn, PendingSummary, SyncEngine, session_client_factory
from .report import SyncReport

__all__ = ["NotLoggedIn", "PendingSummary", "SyncEngine", "SyncReport", "session_client_factory"]
