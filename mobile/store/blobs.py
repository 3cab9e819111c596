"""The blob queue: photos and scans waiting to be uploaded, stored as files named by SHA-256.

Files are written and fsynced before the row that points at them commits, so a row never
refers to bytes that a crash lost. An in-memory store keeps the bytes in the row instead.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from .crypto import open_bytes, seal_bytes
from .db import blob_dir, now_iso, transaction


@dataclass(frozen=True)
class BlobRow:
    """One queued or uploaded blob."""

    sha256: str
    size: int
    mime: str
    state: str
    attempts: int
    last_error: str | None
    next_attempt_at: str | None


@dataclass(frozen=True)
class StagedBlob:
    """Bytes already durable on disk (or held for an in-memory store), ready for a queue row."""

    sha256: str
    size: int
    mime: str
    path: str | None
    data: bytes | None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories; the file fsync still holds
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stage_blob(db: sqlite_utils.Database, data: bytes, mime: str = "image/jpeg") -> StagedBlob:
    """Write the bytes to <store>/blobs/<sha256> durably (tmp + fsync + rename); no database change."""
    if not data:
        raise ValueError("empty blob")
    sha = hashlib.sha256(data).hexdigest()
    # the SHA-256 names the plaintext (the server checks it); the bytes at rest are AES-GCM sealed
    sealed = seal_bytes(db, bytes(data))
    folder = blob_dir(db)
    if folder is None:
        return StagedBlob(sha, len(data), mime, None, sealed)
    final = folder / sha
    if not (final.exists() and final.stat().st_size == len(sealed)):
        tmp = folder / f".{sha}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(sealed)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(folder)
    return StagedBlob(sha, len(data), mime, str(final), None)


def queue_staged(db: sqlite_utils.Database, blob: StagedBlob) -> None:
    """Insert the queue row for a staged blob (kept as is when the same bytes are already known)."""
    db.execute(
        "INSERT INTO blobs (sha256, path, data, size, mime, state, created_at)"
        " VALUES (?,?,?,?,?, 'queued', ?) ON CONFLICT(sha256) DO NOTHING",
        [blob.sha256, blob.path, blob.data, blob.size, blob.mime, now_iso()])


def save_blob(db: sqlite_utils.Database, data: bytes, mime: str = "image/jpeg") -> str:
    """Store bytes durably and queue them for upload; return the SHA-256 (for a PhotoRef)."""
    staged = stage_blob(db, data, mime)
    with transaction(db):
        queue_staged(db, staged)
    return staged.sha256


def read_blob(db: sqlite_utils.Database, sha256: str) -> bytes | None:
    """The bytes of a stored blob, or None if unknown or its file is gone."""
    rows = list(db.query("SELECT path, data FROM blobs WHERE sha256 = ?", [sha256]))
    if not rows:
        return None
    if rows[0]["data"] is not None:
        return open_bytes(db, bytes(rows[0]["data"]))
    path = rows[0]["path"]
    try:
        return open_bytes(db, Path(path).read_bytes()) if path else None
    except FileNotFoundError:
        return None


def _row(r: dict) -> BlobRow:
    return BlobRow(r["sha256"], r["size"], r["mime"], r["state"], r["attempts"], r["last_error"],
                   r["next_attempt_at"])


def get_blob_row(db: sqlite_utils.Database, sha256: str) -> BlobRow | None:
    """The queue row of a blob, or None."""
    rows = list(db.query("SELECT * FROM blobs WHERE sha256 = ?", [sha256]))
    return _row(rows[0]) if rows else None


def due_blobs(db: sqlite_utils.Database, now: str | None = None) -> list[BlobRow]:
    """Queued blobs whose backoff has passed (all queued ones when `now` is None), smallest first.

    Smallest first: on a weak link the small scans get through before one big photo.
    """
    if now is None:
        rows = db.query("SELECT * FROM blobs WHERE state = 'queued' ORDER BY size, created_at")
    else:
        rows = db.query("SELECT * FROM blobs WHERE state = 'queued' AND (next_attempt_at IS NULL"
                        " OR next_attempt_at <= ?) ORDER BY size, created_at", [now])
    return [_row(r) for r in rows]


def pending_blob_shas(db: sqlite_utils.Database) -> set[str]:
    """SHA-256 of every blob not yet uploaded (queued or failed)."""
    return {r["sha256"] for r in db.query("SELECT sha256 FROM blobs WHERE state != 'uploaded'")}


def mark_uploaded(db: sqlite_utils.Database, sha256: str) -> None:
    """The server holds the whole blob."""
    db.execute("UPDATE blobs SET state = 'uploaded', uploaded_at = ?, last_error = NULL,"
               " next_attempt_at = NULL WHERE sha256 = ?", [now_iso(), sha256])


def mark_blob_attempt_failed(db: sqlite_utils.Database, sha256: str, error: str,
                             next_attempt_at: str | None, *, permanent: bool = False) -> None:
    """Count a failed upload; `permanent` (too large, bytes corrupt) stops retrying it."""
    db.execute("UPDATE blobs SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
               " state = CASE WHEN ? THEN 'failed' ELSE state END WHERE sha256 = ?",
               [error, next_attempt_at, 1 if permanent else 0, sha256])


def requeue_blobs(db: sqlite_utils.Database, shas: list[str]) -> None:
    """Queue blobs again (the server said it lacks them); unknown shas are ignored."""
    for sha in shas:
        db.execute("UPDATE blobs SET state = 'queued', next_attempt_at = NULL WHERE sha256 = ?"
                   " AND state = 'uploaded'", [sha])


def blob_files(db: sqlite_utils.Database) -> list[Path]:
    """Every blob file of the store (none for an in-memory store)."""
    folder = blob_dir(db)
    return [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")] if folder else []


def delete_blob_files(db: sqlite_utils.Database) -> int:
    """Delete every blob file of the store (logout); return how many were removed."""
    folder = blob_dir(db)
    if folder is None:
        return 0
    count = 0
    for path in folder.iterdir():
        if path.is_file():
            path.unlink(missing_ok=True)
            count += 1
    return count
