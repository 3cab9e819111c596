"""Resumable, content-addressed blob upload: parts on disk, complete data in the blobs table."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Text, cast, delete, insert, select, update

from api_client.models import BlobStatus, OfficerPublic

from ..config import Settings
from ..db.schema import blobs, visits
from ..errors import ApiError, not_found
from .access import visit_filter
from .clock import now_iso

# One upload per blob at a time (two phones may send the same photo, a retried chunk may land on
# another worker): a per-sha lock between the threads of this process, then a file lock between
# processes sharing the data dir.
_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_locks_guard = threading.Lock()
LOCK_STRIPES_HEX = 3  # lock files are shared by shas with the same first 3 hex digits: at most 4,096


def _lock_for(sha: str) -> threading.Lock:
    with _locks_guard:
        return _locks[sha]


@contextmanager
def upload_lock(settings: Settings, sha: str) -> Iterator[None]:
    """Hold the blob's upload lock, across threads and worker processes (flock on the data dir).

    Lock files are never deleted (deleting one while another process waits on it would let two
    holders in), so they are striped by the sha's prefix to keep their number bounded.
    """
    lock_dir = settings.blob_dir / "locks"
    lock_dir.mkdir(exist_ok=True)
    with _lock_for(sha):
        fd = os.open(lock_dir / f"{sha[:LOCK_STRIPES_HEX]}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock


def _part_path(settings: Settings, sha: str) -> Path:
    return settings.blob_dir / f"{sha}.part"


def _row(conn: Connection, sha: str) -> dict | None:
    row = conn.execute(select(blobs.c.sha256, blobs.c.total, blobs.c.complete, blobs.c.mime)
                       .where(blobs.c.sha256 == sha)).mappings().first()
    return dict(row) if row else None


def blob_status(engine: Engine, settings: Settings, sha: str) -> BlobStatus:
    """How many bytes of the blob the server holds (0 when unknown)."""
    with engine.connect() as conn:
        row = _row(conn, sha)
    if row and row["complete"]:
        return BlobStatus(sha256=sha, received=row["total"], total=row["total"], complete=True)
    part = _part_path(settings, sha)
    received = part.stat().st_size if part.exists() else 0
    return BlobStatus(sha256=sha, received=received, total=row["total"] if row else None)


def too_large(limit: int) -> ApiError:
    """413 naming the limit in MB, Vietnamese first."""
    mb = limit / (1024 * 1024)
    return ApiError(413, "too_large",
                    f"Tệp quá lớn: tối đa {mb:g} MB (file too large: the limit is {mb:g} MB)",
                    limit=limit)


def put_chunk(engine: Engine, settings: Settings, sha: str, offset: int, total: int, data: bytes,
              mime: str | None, officer_id: int) -> BlobStatus:
    """Append bytes at `offset`; verify the hash when the blob is complete."""
    if total > settings.max_blob_bytes:
        raise too_large(settings.max_blob_bytes)
    with upload_lock(settings, sha):
        current = blob_status(engine, settings, sha)
        if current.complete:
            return current  # re-upload of a complete blob: nothing to do
        if current.total is not None and current.total != total:
            raise ApiError(409, "total_mismatch",
                           f"Kích thước tổng khác lần trước ({current.total}) (total differs)",
                           received=current.received, total=current.total)
        if offset != current.received:
            raise ApiError(409, "offset_mismatch",
                           f"Vị trí gửi {offset} khác số byte đã nhận {current.received} "
                           f"(wrong offset, resume at {current.received})", received=current.received)
        if offset + len(data) > total:
            raise ApiError(422, "validation_error",
                           f"Dữ liệu vượt quá kích thước tổng {total} (more bytes than total)")
        part = _part_path(settings, sha)
        with engine.begin() as conn:
            if _row(conn, sha) is None:
                conn.execute(insert(blobs).values(sha256=sha, total=total, received=0, complete=False,
                                                  mime=mime, uploaded_by=officer_id, created_at=now_iso()))
        with part.open("ab") as fh:
            fh.write(data)
        received = offset + len(data)
        if received < total:
            with engine.begin() as conn:
                conn.execute(update(blobs).where(blobs.c.sha256 == sha).values(received=received))
            return BlobStatus(sha256=sha, received=received, total=total)
        return _finish(engine, sha, part, total)


def _finish(engine: Engine, sha: str, part: Path, total: int) -> BlobStatus:
    content = part.read_bytes()
    if hashlib.sha256(content).hexdigest() != sha:
        part.unlink(missing_ok=True)
        with engine.begin() as conn:
            conn.execute(delete(blobs).where(blobs.c.sha256 == sha))
        raise ApiError(422, "hash_mismatch",
                       "Dữ liệu nhận được không khớp mã SHA-256, hãy gửi lại từ đầu "
                       "(SHA-256 mismatch: upload discarded)", received=0)
    with engine.begin() as conn:
        conn.execute(update(blobs).where(blobs.c.sha256 == sha).values(
            data=content, received=total, complete=True))
    part.unlink(missing_ok=True)
    return BlobStatus(sha256=sha, received=total, total=total, complete=True)


def may_read(conn: Connection, officer: OfficerPublic, sha: str, uploaded_by: int | None) -> bool:
    """Its uploader, or whoever may see a visit whose evidence names the photo (its officer, the
    supervisors of its unit). A SHA-256 seen elsewhere is no key to someone else's papers."""
    if uploaded_by == officer.id:
        return True
    # the evidence JSON holds the photo's hash as text; a hex string needs no LIKE escaping
    q = select(visits.c.id).where(visit_filter(conn, officer), cast(visits.c.evidence, Text).contains(sha))
    return conn.execute(q.limit(1)).first() is not None


def visible_status(engine: Engine, settings: Settings, officer: OfficerPublic, sha: str) -> BlobStatus:
    """blob_status, except that a complete blob the officer may not read looks unknown (received 0):
    the phone then uploads its own copy, which the server accepts as already complete."""
    status = blob_status(engine, settings, sha)
    if status.complete:
        with engine.connect() as conn:
            uploader = conn.execute(select(blobs.c.uploaded_by).where(blobs.c.sha256 == sha)).scalar()
            if not may_read(conn, officer, sha, uploader):
                return BlobStatus(sha256=sha, received=0)
    return status


def read_blob(engine: Engine, officer: OfficerPublic, sha: str) -> tuple[bytes, str]:
    """The bytes and mime type of a complete blob the officer may read, or 404."""
    with engine.connect() as conn:
        row = conn.execute(select(blobs.c.data, blobs.c.mime, blobs.c.complete, blobs.c.uploaded_by)
                           .where(blobs.c.sha256 == sha)).first()
        if row is None or not row.complete or row.data is None or not may_read(conn, officer, sha,
                                                                                row.uploaded_by):
            raise not_found("Chưa có tệp này trên máy chủ (blob not found)")
    return bytes(row.data), row.mime or "application/octet-stream"


def missing_blobs(conn: Connection, shas: set[str]) -> list[str]:
    """Which of these blobs are not stored complete."""
    if not shas:
        return []
    done = set(conn.execute(select(blobs.c.sha256).where(blobs.c.sha256.in_(shas),
                                                         blobs.c.complete.is_(True))).scalars())
    return sorted(shas - done)
