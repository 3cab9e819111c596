"""What one sync run did, for the status bar and the logs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    """Counts and flags of one `SyncEngine.run_once()`."""

    started_at: str = ""
    finished_at: str = ""
    skipped: bool = False  # another run was in progress
    offline: bool = False  # the server could not be reached; everything stays queued
    auth_required: bool = False  # the token was refused: log in again (nothing is lost)
    blobs_uploaded: int = 0
    blobs_failed: int = 0
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    held_for_blobs: int = 0  # events waiting for their photos to upload
    retried_later: int = 0  # events left queued after a failed attempt
    pulled_pages: int = 0
    pulled_visits: int = 0
    tombstones: int = 0
    wipe_waiting: bool = False  # a remote wipe is ordered but unsent work is still being sent
    wiped: bool = False  # a supervisor's remote wipe was applied: data and keys are gone
    errors: list[str] = field(default_factory=list)
    auth_error: str = ""  # the server's reason when it refused the session (e.g. device revoked)

    def refuse(self, detail: str) -> None:
        """The server refused the session (after any token renewal): log in again."""
        self.auth_required = True
        self.auth_error = detail

    @property
    def ok(self) -> bool:
        """True when the run reached the server and nothing failed."""
        return not (self.skipped or self.offline or self.auth_required or self.errors)
