"""SyncEngine: upload blobs, push the outbox, pull changes; plain Python, no UI.

One `run_once()` is safe to interrupt at any point: every step commits what it learnt in
its own transaction, events keep their ids across retries and the server dedupes them, so
killing the app and running again finishes the job without duplicates.

    engine = SyncEngine(db, session_client_factory(db))
    report = engine.run_once()          # call from a worker thread / timer
    engine.conflicts(); engine.dead_letters(); engine.resolve_conflict(event_id, "retry")
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlite_utils

from api_client import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    Client,
    DoorstepError,
    PayloadTooLargeError,
    RetryPolicy,
    ValidationError,
)
from api_client.domain.clock import now_utc
from api_client.models import EventResult, EventStatus, PullResponse, WipeOrderPublic
from mobile import tracking
from mobile.store import blobs, cache, crypto, outbox, overrides, settings, sync_state
from mobile.store.db import transaction
from mobile.store.device_key import clock_reading, get_device_key, mark_registered
from mobile.store.outbox import OutboxItem
from mobile.store.session import SessionTokens, load_session
from mobile.store.wipe import pending_counts, wipe_personal_data

from .backoff import next_attempt_at
from .report import SyncReport

log = logging.getLogger(__name__)

PUSH_BATCH = 50
MAX_PULL_PAGES = 1000  # a guard against a server that never says has_more=false
MISSING_BLOBS = "missing_blobs"
# Problems the phone itself finds are stored as "code:<name>" and said in the officer's language
# (i18n problem_<name>); a server's refusal is stored as the server worded it.
CODE_PREFIX = "code:"
TOMBSTONE_MESSAGES = {
    "cancelled": f"{CODE_PREFIX}visit_cancelled",
    "reassigned": f"{CODE_PREFIX}visit_reassigned",
}
PHOTO_LOST = f"{CODE_PREFIX}photo_lost"

ClientSource = Client | Callable[[], Client]


class NotLoggedIn(RuntimeError):
    """No stored session: the engine cannot reach the server on the officer's behalf."""


class _Stop(Exception):
    """Abort the rest of the run (auth refused); the report already says why."""


@dataclass(frozen=True)
class PendingSummary:
    """What is still on the phone only, and how the last sync went."""

    queued: int
    conflict: int
    dead: int
    blobs: int
    drafts: int
    last_success_at: str | None
    last_error: str | None

    @property
    def unsynced(self) -> int:
        """Items a logout would lose."""
        return self.queued + self.conflict + self.dead + self.blobs + self.drafts


def session_client_factory(db: sqlite_utils.Database, *, timeout: float = 20.0,
                           retry: RetryPolicy | None = None) -> Callable[[], Client]:
    """A factory building a Client from the stored session (server URL + token) at each run."""

    def make() -> Client:
        session = load_session(db)
        if session is None:
            raise NotLoggedIn("Chưa đăng nhập")
        # the client renews an expired access token with the refresh token and stores the new pair
        return Client(session.backend_url, session.token, timeout=timeout,
                      retry=retry or RetryPolicy(max_attempts=2), refresh_token=session.refresh_token,
                      token_store=SessionTokens(db))

    return make


class SyncEngine:
    """Moves data between the store and the server; one run at a time per engine."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        client: ClientSource,
        *,
        batch_size: int = PUSH_BATCH,
        pull_limit: int | None = None,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.db = db
        self._client_source = client
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self.clock = clock
        self._lock = threading.Lock()

    # -- the run ------------------------------------------------------------------------

    def run_once(self, *, force: bool = False) -> SyncReport:
        """Upload blobs, push the outbox, pull changes; `force` ignores per-item backoff."""
        report = SyncReport(started_at=self._now_iso())
        if not self._lock.acquire(blocking=False):
            report.skipped = True
            return report
        try:
            if crypto.is_locked(self.db):  # restarted, password not typed yet: nothing can be read
                report.auth_required = True
                return report
            try:
                client, owned = self._client()
            except NotLoggedIn:
                report.auth_required = True
                return report
            try:
                self.register_device_key(client, report)
                self.upload_blobs(client, report, force=force)
                self.push_outbox(client, report, force=force)
                if not report.offline:
                    self.push_tracks(client, report)
                if not report.offline:
                    self.pull(client, report)
            except _Stop:
                pass
            finally:
                if owned:
                    client.close()
        finally:
            report.finished_at = self._now_iso()
            self._record(report)
            self._lock.release()
        return report

    def register_device_key(self, client: Client, report: SyncReport) -> None:
        """Register the evidence key if login could not (offline): before any sealed event is pushed."""
        key = get_device_key(self.db)
        if key is None or key.registered:
            return
        try:
            client.register_device_key(key.device_id, key.public_key)
        except AuthenticationError:
            report.auth_required = True
            raise _Stop from None
        except APIConnectionError:
            report.offline = True  # blobs and events will fail the same way; they keep their backoff
            return
        except APIStatusError as exc:
            report.errors.append(f"device key: {exc.detail}")
            return
        mark_registered(self.db, key.device_id)

    def upload_blobs(self, client: Client, report: SyncReport, *, force: bool = False) -> None:
        """Upload due blobs, smallest first; a failure never stops the events that do not need it."""
        now = self.clock()
        for row in blobs.due_blobs(self.db, None if force else now.isoformat(timespec="seconds")):
            data = blobs.read_blob(self.db, row.sha256)
            if data is None:
                lost = PHOTO_LOST
                with transaction(self.db):
                    blobs.mark_blob_attempt_failed(self.db, row.sha256, lost, None, permanent=True)
                    report.conflicts += self._conflict_blob_users(row.sha256, lost, message=PHOTO_LOST)
                report.blobs_failed += 1
                continue
            try:
                client.upload_blob(data, sha256=row.sha256, mime=row.mime)
            except AuthenticationError as exc:
                report.refuse(exc.detail)
                raise _Stop from None
            except (PayloadTooLargeError, ValidationError) as exc:
                # Too big or bytes that do not match their hash: retrying cannot help, so the
                # events needing this photo become conflicts the officer sees (retake it).
                with transaction(self.db):
                    blobs.mark_blob_attempt_failed(self.db, row.sha256, exc.detail, None, permanent=True)
                    report.conflicts += self._conflict_blob_users(row.sha256, exc.detail)
                report.blobs_failed += 1
                report.errors.append(f"blob {row.sha256[:12]}: {exc.detail}")
            except APIConnectionError as exc:
                blobs.mark_blob_attempt_failed(self.db, row.sha256, str(exc),
                                               next_attempt_at(now, row.attempts))
                report.blobs_failed += 1
                # The link is down or too weak for photos now; small records may still pass.
                break
            except APIStatusError as exc:
                blobs.mark_blob_attempt_failed(self.db, row.sha256, exc.detail,
                                               next_attempt_at(now, row.attempts))
                report.blobs_failed += 1
                report.errors.append(f"blob {row.sha256[:12]}: {exc.detail}")
            else:
                blobs.mark_uploaded(self.db, row.sha256)
                report.blobs_uploaded += 1

    def push_outbox(self, client: Client, report: SyncReport, *, force: bool = False) -> None:
        """Push queued events in creation order, in batches, and file each by its result."""
        now = self.clock()
        now_s = now.isoformat(timespec="seconds")
        pending_blobs = blobs.pending_blob_shas(self.db)
        held_visits: set[int | None] = set()
        ready: list[OutboxItem] = []
        for item in outbox.items(self.db, outbox.QUEUED):
            not_due = not force and item.next_attempt_at is not None and item.next_attempt_at > now_s
            waits_for_blob = bool(set(item.blob_shas) & pending_blobs)
            # A held event holds the later events of its visit too: the server applies them in order.
            if item.visit_id in held_visits or not_due or waits_for_blob:
                held_visits.add(item.visit_id)
                if waits_for_blob:
                    report.held_for_blobs += 1
                continue
            ready.append(item)
        for start in range(0, len(ready), self.batch_size):
            batch = ready[start:start + self.batch_size]
            try:
                # the clocks are read per batch, as close as possible to the server's reading
                reading = clock_reading(self.db, self.clock())
                response = client.push([item.body for item in batch], device=reading)
            except AuthenticationError as exc:
                report.refuse(exc.detail)
                raise _Stop from None
            except APIConnectionError as exc:
                report.offline = True
                self._retry_later(ready[start:], str(exc), now, report)
                return
            except APIStatusError as exc:
                report.errors.append(f"push: {exc.detail}")
                self._retry_later(ready[start:], exc.detail, now, report)
                return
            report.pushed += len(batch)
            self.apply_push_results(batch, response.results, report)

    def push_tracks(self, client: Client, report: SyncReport) -> None:
        """Upload pending GPS breadcrumb batches (after the outbox: visits matter more)."""
        upload = tracking.sync_tracks(self.db, client)
        report.errors.extend([f"tracks: {upload.error}"] if upload.error else [])
        report.offline = report.offline or upload.offline
        if upload.auth_required:
            report.auth_required = True
            raise _Stop

    def apply_push_results(self, batch: Sequence[OutboxItem], results: Sequence[EventResult],
                           report: SyncReport) -> None:
        """File each pushed event by its result, in one transaction for the batch."""
        by_id = {r.id.lower(): r for r in results}
        now = self.clock()
        with transaction(self.db):
            for item in batch:
                result = by_id.get(item.event_id.lower())
                if result is None:
                    outbox.mark_retry(self.db, item.event_id, "Máy chủ không trả kết quả cho sự kiện này",
                                      next_attempt_at(now, item.attempts))
                    report.retried_later += 1
                    continue
                self._file_result(item, result, report, now)

    def _file_result(self, item: OutboxItem, result: EventResult, report: SyncReport,
                     now: datetime) -> None:
        payload = result.model_dump(mode="json")
        message = result.message or ""
        if result.status in (EventStatus.APPLIED, EventStatus.DUPLICATE):
            outbox.mark_sent(self.db, item.event_id, payload)
            self._cache_result(result)
            overrides.clear_override(self.db, item.event_id)
            if result.status == EventStatus.APPLIED:
                report.applied += 1
            else:
                report.duplicates += 1
        elif result.status == EventStatus.CONFLICT and MISSING_BLOBS in message:
            # The server lost (or never got) a photo: upload it again, then retry the event.
            blobs.requeue_blobs(self.db, item.blob_shas)
            outbox.mark_retry(self.db, item.event_id, message, None)
            report.retried_later += 1
        elif result.status == EventStatus.CONFLICT:
            outbox.mark_conflict(self.db, item.event_id, message or "conflict", payload)
            self._cache_result(result)
            overrides.clear_override(self.db, item.event_id)
            report.conflicts += 1
        else:
            outbox.mark_dead(self.db, item.event_id, message or "rejected", payload)
            overrides.clear_override(self.db, item.event_id)
            report.rejected += 1

    def _cache_result(self, result: EventResult) -> None:
        if result.dossier is not None:
            cache.upsert_dossiers(self.db, [result.dossier])
        if result.visit is not None:
            cache.upsert_visits(self.db, [result.visit])

    def pull(self, client: Client, report: SyncReport) -> None:
        """Pull pages since the cursor until `has_more` is false; each page commits with its cursor."""
        cursor = sync_state.get_cursor(self.db)
        first_sync = not cursor
        key = get_device_key(self.db)
        wipe: WipeOrderPublic | None = None
        for _ in range(MAX_PULL_PAGES):
            try:
                page = client.pull(cursor, self.pull_limit, device=key.device_id if key else None)
            except AuthenticationError as exc:
                report.refuse(exc.detail)
                raise _Stop from None
            except APIConnectionError:
                report.offline = True
                return
            except APIStatusError as exc:
                report.errors.append(f"pull: {exc.detail}")
                return
            self.apply_pull_page(page, report)
            wipe = page.wipe or wipe
            cursor = page.next_cursor
            if not page.has_more:
                break
        if first_sync:
            self._refresh_units(client)
        if wipe is not None:
            self.apply_wipe(client, wipe, report)

    def apply_wipe(self, client: Client, order: WipeOrderPublic, report: SyncReport) -> None:
        """Wipe the phone as a supervisor ordered, once nothing that could still be sent is waiting.

        The push ran earlier in this sync, so what the server could take is on the server. Queued
        actions or photos still unsent (offline for part of the run, backoff) make the wipe wait
        for a later sync, unless the order is forced: then the supervisor accepted their loss.
        Conflicts and dead letters were answered by the server already and do not hold it.
        """
        left = pending_counts(self.db)
        if not order.force and (left["queued"] or left["blobs"]):
            report.wipe_waiting = True
            return
        key = get_device_key(self.db)
        try:
            client.wipe_applied(order.id, key.device_id if key else "0" * 32)
        except DoorstepError as exc:  # told next time: wiping now would leave the order pending forever
            report.errors.append(f"wipe: {exc}")
            return
        wipe_personal_data(self.db)  # rows, blob files and the keys: nothing sealed can be opened again
        report.wiped = True

    def apply_pull_page(self, page: PullResponse, report: SyncReport) -> None:
        """Apply one page (upserts, tombstones, cursor) in one transaction: idempotent on repeat."""
        with transaction(self.db):
            cache.upsert_citizens(self.db, page.citizens)
            cache.upsert_dossiers(self.db, page.dossiers)
            cache.upsert_visits(self.db, page.visits)
            cache.upsert_catalogues(self.db, page.catalogues)
            settings.upsert_unit_settings(self.db, page.unit_settings)
            for stone in page.tombstones:
                if stone.entity != "visit":
                    continue
                cache.drop_visit(self.db, stone.id)
                overrides.clear_visit_override(self.db, stone.id)
                message = TOMBSTONE_MESSAGES.get(stone.reason, f"{CODE_PREFIX}visit_taken_away")
                report.conflicts += self._conflict_queued(stone.id, message,
                                                          {"tombstone": stone.model_dump(mode="json")})
            # A cancelled visit may come as a row (still assigned to us) rather than a tombstone.
            for visit in page.visits:
                if visit.status.value == "cancelled":
                    overrides.clear_visit_override(self.db, visit.id)
                    report.conflicts += self._conflict_queued(visit.id, TOMBSTONE_MESSAGES["cancelled"],
                                                              {"visit": visit.model_dump(mode="json")})
            sync_state.set_cursor(self.db, page.next_cursor)
        report.pulled_pages += 1
        report.pulled_visits += len(page.visits)
        report.tombstones += len(page.tombstones)

    def _conflict_queued(self, visit_id: int, message: str, result: dict[str, object]) -> int:
        """Turn the queued events of a visit taken away into visible conflicts; return how many."""
        queued = outbox.items(self.db, outbox.QUEUED, visit_id=visit_id)
        for item in queued:
            # The officer's work is kept and shown, never silently dropped.
            outbox.mark_conflict(self.db, item.event_id, message, dict(result))
        return len(queued)

    def _conflict_blob_users(self, sha256: str, detail: str, message: str | None = None) -> int:
        """Queued events needing a photo that can never upload become conflicts; return how many."""
        users = [i for i in outbox.items(self.db, outbox.QUEUED) if sha256 in i.blob_shas]
        for item in users:
            outbox.mark_conflict(self.db, item.event_id, message or f"Ảnh không gửi được: {detail}",
                                 {"blob": sha256, "detail": detail})
        return len(users)

    # -- what the UI shows ------------------------------------------------------------

    def pending_summary(self) -> PendingSummary:
        """Unsynced counts and the last sync outcome."""
        counts = pending_counts(self.db)
        state = sync_state.get_sync_state(self.db)
        return PendingSummary(counts["queued"], counts["conflict"], counts["dead"], counts["blobs"],
                              counts["drafts"], state.last_success_at, state.last_error)

    def conflicts(self) -> list[OutboxItem]:
        """Events the server disagreed with, oldest first (`last_error` says why)."""
        return outbox.items(self.db, outbox.CONFLICT)

    def dead_letters(self) -> list[OutboxItem]:
        """Events the server rejected for good, oldest first (`last_error` says why)."""
        return outbox.items(self.db, outbox.DEAD)

    def resolve_conflict(self, event_id: str, action: Literal["discard", "retry"] = "discard") -> bool:
        """Discard a conflict/dead event, or queue it again; True when something changed."""
        if action == "retry":
            return outbox.requeue(self.db, event_id)
        if action == "discard":
            return outbox.discard(self.db, event_id)
        raise ValueError(f"unknown action {action!r}")

    # -- helpers ------------------------------------------------------------------------

    def _client(self) -> tuple[Client, bool]:
        if isinstance(self._client_source, Client):
            return self._client_source, False
        return self._client_source(), True

    def _now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _retry_later(self, items: Sequence[OutboxItem], error: str, now: datetime,
                     report: SyncReport) -> None:
        with transaction(self.db):
            for item in items:
                outbox.mark_retry(self.db, item.event_id, error, next_attempt_at(now, item.attempts))
        report.retried_later += len(items)

    def _refresh_units(self, client: Client) -> None:
        try:
            cache.upsert_units(self.db, client.units())
        except (APIConnectionError, APIStatusError) as exc:
            # units are a nicety for the address picker; the next full sync retries
            log.info("unit tree not refreshed: %s", exc)

    def _record(self, report: SyncReport) -> None:
        if report.skipped:
            return
        if report.ok:
            sync_state.record_attempt(self.db, ok=True)
        else:
            why = ("offline" if report.offline else "auth_required" if report.auth_required
                   else "; ".join(report.errors)[:500])
            sync_state.record_attempt(self.db, ok=False, error=why)
