"""`Client`: the typed HTTP client for the Doorstep API v1 (see docs/sync-protocol.md).

Phone-safe: only httpx and pydantic. One method per endpoint; responses come back as the
pydantic models of `api_client.models`; error statuses raise the typed errors of
`api_client.errors` with the server's `detail` message.

    with Client("http://127.0.0.1:8000") as api:
        api.login("officer1", "secret")          # stores the tokens on the client
        visits = api.list_visits(date="2026-11-26")
        api.upload_blob(photo_bytes)             # resumable, chunked
        results = api.push([event]).results
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    error_from_response,
)
from .models import (
    AuditEntry,
    BlobStatus,
    CataloguePublic,
    CitizenPublic,
    DeviceKeyPublic,
    DevicePublic,
    DossierPublic,
    LockoutPublic,
    OfficerPublic,
    PullResponse,
    PushResponse,
    Role,
    TokenPublic,
    UnitPublic,
    VisitPublic,
    WipeOrderPublic,
)
from .models.custody import HandoverPublic, TrackingLog
from .models.notices import ApologyPublic, NoticePublic, NotificationPublic
from .models.supervision import (
    AtRiskDossier,
    Board,
    BulkAssignResult,
    IndicatorReport,
    OfficerDay,
    OfficerTrack,
    SuggestedAssignee,
)
from .models.sync import MAX_BATCH
from .models.tracks import TrackPushResult
from .retry import RetryPolicy, parse_retry_after
from .tokens import TokenStore

API_PREFIX = "/api/v1"
GZIP_THRESHOLD = 1024  # bytes: below this gzip costs more than it saves
DEFAULT_CHUNK = 256 * 1024
MAX_UPLOAD_CONFLICTS = 5  # re-asks of the blob status before giving up on a confused upload

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Page(list[T]):
    """A list of results that also knows the server's total (`X-Total-Count`)."""

    def __init__(self, items: Iterable[T] = (), total: int | None = None) -> None:
        super().__init__(items)
        self.total = len(self) if total is None else total


def _dump(obj: BaseModel | Mapping[str, Any], *, exclude_unset: bool = False) -> Any:
    """JSON-ready form of a model or mapping."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", exclude_unset=exclude_unset)
    return dict(obj)


def _clean(params: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters without the Nones (an absent filter, not the string 'None')."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = value.value if hasattr(value, "value") else value
    return out


class Client:
    """Synchronous Doorstep API client over httpx; use as a context manager or call close()."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float | httpx.Timeout = 20.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        refresh_token: str | None = None,
        device_id: str | None = None,
        token_store: TokenStore | None = None,
    ) -> None:
        """`refresh_token` lets the client renew an expired access token by itself (once per
        request); `token_store` persists what a renewal returns (the phone's session row).
        `http_client`: an existing httpx.Client to send through (for example one bound to an
        ASGI app in tests); its base URL and transport are used as they are, and the caller
        closes it."""
        base = base_url.rstrip("/")
        # Accept both the server root and the API root, so settings may hold either.
        self._prefix = "" if base.endswith(API_PREFIX) else API_PREFIX
        self.base_url = base
        self.token = token
        self.refresh_token = refresh_token
        self.device_id = device_id
        self.token_store = token_store
        self.retry = retry or RetryPolicy()
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            base_url=base,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "doorstep-api-client/1",
                     **(headers or {})},
        )

    # -- plumbing ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying connection pool (not a borrowed `http_client`)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request with retries; return the 2xx response or raise a typed error."""
        hdrs = self._headers(headers)
        body = content
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            hdrs["Content-Type"] = "application/json"
            if len(body) > GZIP_THRESHOLD:
                # Rural 3G links: a pickup event with its checklist shrinks 3-5x.
                body = gzip.compress(body, mtime=0)
                hdrs["Content-Encoding"] = "gzip"
        url = self._prefix + path
        query = _clean(params or {})
        attempt = 0
        renewed = path in ("/auth/login", "/auth/refresh")  # these never renew themselves
        while True:
            attempt += 1
            try:
                response = self._http.request(method, url, params=query, content=body, headers=hdrs)
            except httpx.TransportError as exc:
                if self.retry.should_retry(attempt=attempt, method=method, path=path, status_code=None):
                    self.retry.sleep(self.retry.delay(attempt))
                    continue
                raise self._connection_error(exc) from exc
            if response.is_success:
                return response
            if response.status_code == 401 and not renewed and self._expired(response):
                renewed = True
                if self._renew(hdrs.get("Authorization", "")[len("Bearer "):]):
                    hdrs = self._headers(headers) | {k: v for k, v in hdrs.items()
                                                     if k in ("Content-Type", "Content-Encoding")}
                    continue
            if self.retry.should_retry(attempt=attempt, method=method, path=path,
                                       status_code=response.status_code):
                wait = parse_retry_after(response.headers.get("Retry-After"))
                self.retry.sleep(self.retry.delay(attempt, wait))
                continue
            raise error_from_response(response)

    @staticmethod
    def _expired(response: httpx.Response) -> bool:
        """A 401 because the access token is past its short lifetime (a refresh fixes that)."""
        try:
            return bool(response.json().get("code") == "token_expired")
        except (ValueError, AttributeError):
            return False

    def _renew(self, used_access: str) -> bool:
        """Get a live access token after a `token_expired`; False when there is no way to.

        Under the store's lock: if another client of this device already refreshed, take its
        tokens instead of spending ours a second time.
        """
        store = self.token_store
        lock = store.lock if store is not None else None
        if lock is not None:
            lock.acquire()
        try:
            if store is not None:
                access, refresh = store.load()
                if access and access != used_access:
                    self.token, self.refresh_token = access, refresh
                    return True
                self.refresh_token = refresh or self.refresh_token
            if not self.refresh_token:
                return False
            try:
                self.refresh()
            except APIStatusError:
                return False  # the caller gets the original 401 (log in again)
            return True
        finally:
            if lock is not None:
                lock.release()

    @staticmethod
    def _connection_error(exc: httpx.TransportError) -> APIConnectionError:
        try:
            request: httpx.Request | None = exc.request
        except RuntimeError:  # httpx raises when the error was made without a request
            request = None
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request=request)
        return APIConnectionError(
            f"Không kết nối được máy chủ (connection error: {type(exc).__name__})", request=request
        )

    def _get(self, path: str, model: type[M], **params: Any) -> M:
        return model.model_validate(self.request("GET", path, params=params).json())

    def _send(self, method: str, path: str, model: type[M], body: Any = None) -> M:
        """A write whose JSON answer is one model."""
        return model.model_validate(self.request(method, path, json_body=body).json())

    def _file(self, path: str, accept: str = "*/*", **params: Any) -> bytes:
        """A GET whose answer is a file (PDF, export, blob), as bytes."""
        return self.request("GET", path, params=params or None, headers={"Accept": accept}).content

    def _list(self, path: str, model: type[M], **params: Any) -> Page[M]:
        response = self.request("GET", path, params=params)
        items = TypeAdapter(list[model]).validate_python(response.json())  # type: ignore[valid-type]
        total = response.headers.get("X-Total-Count")
        return Page(items, int(total) if total and total.isdigit() else None)

    # -- endpoints ----------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """`GET /health`: status, database kind and version."""
        data: dict[str, Any] = self.request("GET", "/health").json()
        return data

    def login(self, username: str, password: str, device_id: str | None = None) -> TokenPublic:
        """`POST /auth/login`; stores the access and refresh tokens on the client for later calls.

        A wrong password is an AuthenticationError; a locked account a LockedError (423) and too
        many failures from this address a RateLimitError (429), both saying when to retry."""
        body: dict[str, Any] = {"username": username, "password": password}
        if device_id or self.device_id:
            body["device_id"] = device_id or self.device_id
        token = TokenPublic.model_validate(self.request("POST", "/auth/login", json_body=body).json())
        self._adopt(token)
        return token

    def _adopt(self, token: TokenPublic) -> None:
        self.token = token.access_token
        self.refresh_token = token.refresh_token or self.refresh_token
        self.device_id = token.device_id or self.device_id

    def refresh(self) -> TokenPublic:
        """`POST /auth/refresh`: trade the refresh token for a new pair (saved to the token store)."""
        if not self.refresh_token:
            raise ValueError("no refresh token")
        token = self._send("POST", "/auth/refresh", TokenPublic, {"refresh_token": self.refresh_token})
        self._adopt(token)
        if self.token_store is not None:
            self.token_store.save(token)
        return token

    def logout(self) -> None:
        """`POST /auth/logout`: end this session on the server (its tokens stop working)."""
        self.request("POST", "/auth/logout")
        self.token = self.refresh_token = None

    def change_password(self, current_password: str, new_password: str) -> TokenPublic:
        """`POST /auth/password`: every other session ends; this client gets (and stores) a new pair."""
        token = self._send("POST", "/auth/password", TokenPublic,
                           {"current_password": current_password, "new_password": new_password})
        self._adopt(token)
        if self.token_store is not None:
            self.token_store.save(token)
        return token

    def me(self) -> OfficerPublic:
        """`GET /me`: the logged-in officer."""
        return self._get("/me", OfficerPublic)

    def units(self) -> list[UnitPublic]:
        """`GET /units`: the whole administrative tree."""
        return list(self._list("/units", UnitPublic))

    def catalogue(self, version: int | None = None) -> CataloguePublic:
        """`GET /catalogue[/{version}]`: the latest catalogue, or that version."""
        path = "/catalogue" if version is None else f"/catalogue/{int(version)}"
        return self._get(path, CataloguePublic)

    def list_visits(self, *, date: str | None = None, status: str | None = None,
                    kind: str | None = None, assignee_id: int | None = None,
                    dossier_id: int | None = None,
                    page: int | None = None, page_size: int | None = None) -> Page[VisitPublic]:
        """`GET /visits` with filters; `.total` holds X-Total-Count."""
        return self._list("/visits", VisitPublic, date=date, status=status, kind=kind,
                          assignee_id=assignee_id, dossier_id=dossier_id, page=page, page_size=page_size)

    def get_visit(self, visit_id: int) -> VisitPublic:
        """`GET /visits/{id}`."""
        return self._get(f"/visits/{int(visit_id)}", VisitPublic)

    def create_visit(self, body: BaseModel | Mapping[str, Any]) -> VisitPublic:
        """`POST /visits` (supervisor) with a `VisitCreate`."""
        return self._send("POST", "/visits", VisitPublic, _dump(body))

    def update_visit(self, visit_id: int, body: BaseModel | Mapping[str, Any]) -> VisitPublic:
        """`PATCH /visits/{id}` (supervisor) with a `VisitAssign`: reassign, reschedule or cancel."""
        # Only the fields the caller set: an unset assignee must not read as "unassign".
        return self._send("PATCH", f"/visits/{int(visit_id)}", VisitPublic,
                          _dump(body, exclude_unset=True))

    def list_dossiers(self, *, status: int | None = None, q: str | None = None,
                      page: int | None = None, page_size: int | None = None) -> Page[DossierPublic]:
        """`GET /dossiers` with filters; `.total` holds X-Total-Count."""
        return self._list("/dossiers", DossierPublic, status=status, q=q, page=page, page_size=page_size)

    def get_dossier(self, dossier_id: int) -> DossierPublic:
        """`GET /dossiers/{id}`."""
        return self._get(f"/dossiers/{int(dossier_id)}", DossierPublic)

    def change_dossier_status(self, dossier_id: int, status: int | BaseModel | Mapping[str, Any],
                              note: str | None = None) -> DossierPublic:
        """`POST /dossiers/{id}/status` (supervisor); an illegal move raises ConflictError."""
        body: Any
        if isinstance(status, int):
            body = {"status": int(status), **({"note": note} if note is not None else {})}
        else:
            body = _dump(status)
        return self._send("POST", f"/dossiers/{int(dossier_id)}/status", DossierPublic, body)

    def get_citizen(self, citizen_id: int) -> CitizenPublic:
        """`GET /citizens/{id}`."""
        return self._get(f"/citizens/{int(citizen_id)}", CitizenPublic)

    def list_officers(self, role: Role | str | None = None, *, page: int | None = None,
                      page_size: int | None = None) -> Page[OfficerPublic]:
        """`GET /officers`: a field officer gets the desk accounts of their communes, a supervisor
        the officers of their units (`role` narrows it); `.total` holds X-Total-Count."""
        role_value = role.value if isinstance(role, Role) else role
        return self._list("/officers", OfficerPublic, role=role_value, page=page, page_size=page_size)

    def get_officer(self, officer_id: int) -> OfficerPublic:
        """`GET /officers/{id}`: an officer in the caller's scope (404 otherwise)."""
        return self._get(f"/officers/{int(officer_id)}", OfficerPublic)

    def create_officer(self, body: BaseModel | Mapping[str, Any]) -> OfficerPublic:
        """`POST /officers` (supervisor) with an `OfficerCreate`."""
        return self._send("POST", "/officers", OfficerPublic, _dump(body))

    # -- account security (issue 9): supervisors, within their units ----------------------

    def officer_lockout(self, officer_id: int) -> LockoutPublic:
        """`GET /officers/{id}/lockout`: locked after wrong passwords, and until when."""
        return self._get(f"/officers/{int(officer_id)}/lockout", LockoutPublic)

    def unlock_officer(self, officer_id: int) -> LockoutPublic:
        """`POST /officers/{id}/unlock`: lift the lockout now."""
        return self._send("POST", f"/officers/{int(officer_id)}/unlock", LockoutPublic)

    def disable_officer(self, officer_id: int) -> OfficerPublic:
        """`POST /officers/{id}/disable`: the account stops working and its sessions end."""
        return self._send("POST", f"/officers/{int(officer_id)}/disable", OfficerPublic)

    def enable_officer(self, officer_id: int) -> OfficerPublic:
        """`POST /officers/{id}/enable`."""
        return self._send("POST", f"/officers/{int(officer_id)}/enable", OfficerPublic)

    def officer_devices(self, officer_id: int) -> list[DevicePublic]:
        """`GET /officers/{id}/devices`: device id, last seen, last address, live sessions."""
        return list(self._list(f"/officers/{int(officer_id)}/devices", DevicePublic))

    def revoke_device(self, officer_id: int, device_id: str) -> DevicePublic:
        """`POST /officers/{id}/devices/{device_id}/revoke`: its tokens die, its next sync is refused."""
        return self._send("POST", f"/officers/{int(officer_id)}/devices/{device_id}/revoke", DevicePublic)

    def audit_log(self, *, officer_id: int | None = None, event: str | None = None, page: int | None = None,
                  page_size: int | None = None) -> Page[AuditEntry]:
        """`GET /audit`: security events about officers of the caller's units, newest first."""
        return self._list("/audit", AuditEntry, officer_id=officer_id, event=event, page=page,
                          page_size=page_size)

    def register_device_key(self, device_id: str, public_key: str) -> DeviceKeyPublic:
        """`POST /device-keys`: register this phone's evidence key (idempotent)."""
        return self._send("POST", "/device-keys", DeviceKeyPublic,
                          {"device_id": device_id, "public_key": public_key})

    # -- sync ---------------------------------------------------------------------------

    def push(self, events: Iterable[BaseModel | Mapping[str, Any]],
             device: Mapping[str, Any] | None = None) -> PushResponse:
        """`POST /sync/push`: one EventResult per event, in order (split into batches of 200).

        `device` is the phone's clock reading (a `DeviceClock`), sent with every batch.
        """
        raw = [_dump(e) for e in events]
        if not raw:
            return PushResponse(results=[])
        results = []
        for start in range(0, len(raw), MAX_BATCH):
            body: dict[str, Any] = {"events": raw[start:start + MAX_BATCH]}
            if device is not None:
                body["device"] = dict(device)
            response = self.request("POST", "/sync/push", json_body=body)
            results.extend(PushResponse.model_validate(response.json()).results)
        return PushResponse(results=results)

    def pull(self, cursor: str | None = "", limit: int | None = None,
             device: str | None = None) -> PullResponse:
        """`GET /sync/pull`: changes since `cursor` ("" = full first sync); `device` may receive a wipe."""
        return self._get("/sync/pull", PullResponse, cursor=cursor or "", limit=limit, device=device)

    def order_wipe(self, officer_id: int, *, force: bool = False,
                   device_id: str | None = None) -> WipeOrderPublic:
        """`POST /officers/{id}/wipe` (supervisor): wipe the officer's phone at its next sync."""
        return self._send("POST", f"/officers/{officer_id}/wipe", WipeOrderPublic,
                          {"force": force, "device_id": device_id})

    def wipe_applied(self, order_id: int, device_id: str) -> WipeOrderPublic:
        """`POST /wipe-orders/{id}/applied`: this phone is about to wipe itself."""
        return self._send("POST", f"/wipe-orders/{order_id}/applied", WipeOrderPublic,
                          {"device_id": device_id})

    def blob_status(self, sha256: str) -> BlobStatus:
        """`GET /blobs/{sha}/status` (received = 0 when unknown)."""
        return self._get(f"/blobs/{sha256}/status", BlobStatus)

    def upload_blob(
        self,
        data: bytes,
        *,
        sha256: str | None = None,
        mime: str = "image/jpeg",
        chunk_size: int = DEFAULT_CHUNK,
        progress: Callable[[int, int], None] | None = None,
    ) -> BlobStatus:
        """Upload `data` resumably: ask what the server holds, send the rest in chunks.

        A 409 (wrong offset, e.g. another attempt raced us) re-asks the status and
        continues from there. `progress(received, total)` is called after each chunk.
        """
        if not data:
            raise ValueError("empty blob")
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        sha = sha256 or hashlib.sha256(data).hexdigest()
        total = len(data)
        status = self.blob_status(sha)
        conflicts = 0
        while not status.complete and status.received < total:
            offset = status.received
            chunk = data[offset:offset + chunk_size]
            try:
                response = self.request(
                    "PUT", f"/blobs/{sha}", params={"offset": offset, "total": total},
                    content=chunk, headers={"Content-Type": mime},
                )
            except ConflictError:
                conflicts += 1
                if conflicts > MAX_UPLOAD_CONFLICTS:
                    raise
                status = self.blob_status(sha)
                continue
            status = BlobStatus.model_validate(response.json())
            if progress:
                progress(status.received, total)
        if not status.complete:
            # The server checks the hash when the last byte lands (a mismatch is a 422),
            # so holding every byte means it is complete even if the flag was omitted.
            status = BlobStatus(sha256=sha, received=total, total=total, complete=True)
        return status

    def get_blob(self, sha256: str) -> bytes:
        """`GET /blobs/{sha}`: the bytes of a complete blob."""
        return self._file(f"/blobs/{sha256}")

    # -- returning results: custody, letters, notices, apologies (issue 4) -------------------

    def create_handover(self, body: BaseModel | Mapping[str, Any]) -> HandoverPublic:
        """`POST /handovers` with a `HandoverCreate`; the caller's side is confirmed at once."""
        return self._send("POST", "/handovers", HandoverPublic, _dump(body))

    def confirm_handover(self, handover_id: int) -> HandoverPublic:
        """`POST /handovers/{id}/confirm` by the counterpart (again: no change)."""
        return self._send("POST", f"/handovers/{int(handover_id)}/confirm", HandoverPublic)

    def list_handovers(self, *, pending: bool | None = None,
                       dossier_id: int | None = None) -> list[HandoverPublic]:
        """`GET /handovers`; pending=True: those awaiting the caller's confirmation."""
        flag = None if pending is None else str(pending).lower()
        return list(self._list("/handovers", HandoverPublic, pending=flag, dossier_id=dossier_id))

    def tracking_log(self, dossier_id: int) -> TrackingLog:
        """`GET /dossiers/{id}/tracking-log`: custody rows in time order with outcomes."""
        return self._get(f"/dossiers/{int(dossier_id)}/tracking-log", TrackingLog)

    def tracking_log_pdf(self, dossier_id: int) -> bytes:
        """`GET /dossiers/{id}/tracking-log.pdf`: the printable phiếu kiểm soát."""
        return self._file(f"/dossiers/{int(dossier_id)}/tracking-log.pdf", "application/pdf")

    def letter_pdf(self, dossier_id: int) -> bytes:
        """`GET /dossiers/{id}/letter.pdf`; NotFoundError when the procedure has no letter."""
        return self._file(f"/dossiers/{int(dossier_id)}/letter.pdf", "application/pdf")

    def create_apology(self, dossier_id: int, reason: str, new_date: str) -> ApologyPublic:
        """`POST /dossiers/{id}/apology` (supervisor): apologise and set a new appointment date."""
        return self._send("POST", f"/dossiers/{int(dossier_id)}/apology", ApologyPublic,
                          {"reason": reason, "new_date": new_date})

    def apology_pdf(self, dossier_id: int) -> bytes:
        """`GET /dossiers/{id}/apology.pdf`: the latest apology form."""
        return self._file(f"/dossiers/{int(dossier_id)}/apology.pdf", "application/pdf")

    def list_notices(self, *, state: str | None = None, dossier_id: int | None = None,
                     page: int | None = None, page_size: int | None = None) -> Page[NoticePublic]:
        """`GET /notices` (supervisor); state="queued" is the desk's outbox."""
        return self._list("/notices", NoticePublic, state=state, dossier_id=dossier_id, page=page,
                          page_size=page_size)

    def mark_notice_sent(self, notice_id: int, note: str | None = None) -> NoticePublic:
        """`POST /notices/{id}/sent` (supervisor): sent by hand at the desk."""
        return self._send("POST", f"/notices/{int(notice_id)}/sent", NoticePublic, {"note": note})

    def list_notifications(self, *, unread: bool | None = None) -> list[NotificationPublic]:
        """`GET /notifications`: the caller's own notifications, newest first."""
        flag = None if unread is None else str(unread).lower()
        return list(self._list("/notifications", NotificationPublic, unread=flag))

    def mark_notification_read(self, notification_id: int) -> NotificationPublic:
        """`POST /notifications/{id}/read`."""
        return self._send("POST", f"/notifications/{int(notification_id)}/read", NotificationPublic)

    # -- duty tracking and supervision (issue 5) ------------------------------------------

    def push_tracks(self, batch: BaseModel | Mapping[str, Any]) -> TrackPushResult:
        """`POST /tracks` with a `TrackBatch`; a retry is a duplicate, a reused id a ConflictError."""
        return self._send("POST", "/tracks", TrackPushResult, _dump(batch))

    def board(self, *, date: str | None = None, page: int | None = None,
              page_size: int | None = None) -> Board:
        """`GET /board` (supervisor): officers with last position, the day's visits, counts."""
        return self._get("/board", Board, date=date, page=page, page_size=page_size)

    def officer_track(self, officer_id: int, *, date: str | None = None) -> OfficerTrack:
        """`GET /officers/{id}/track` (supervisor): breadcrumbs, planned route, actual order."""
        return self._get(f"/officers/{int(officer_id)}/track", OfficerTrack, date=date)

    def officer_day(self, officer_id: int, *, date: str | None = None) -> OfficerDay:
        """`GET /officers/{id}/day` (supervisor): arrivals, time spent, distance, failures, flags."""
        return self._get(f"/officers/{int(officer_id)}/day", OfficerDay, date=date)

    def dossiers_at_risk(self, kind: str, *, date: str | None = None, page: int | None = None,
                         page_size: int | None = None) -> Page[AtRiskDossier]:
        """`GET /dossiers/at-risk?kind=due_today|overdue|unassigned|repeatedly_failed` (supervisor)."""
        return self._list("/dossiers/at-risk", AtRiskDossier, kind=kind, date=date, page=page,
                          page_size=page_size)

    def assign_visits(self, visit_ids: Iterable[int], assignee_id: int | None,
                      planned_date: str | None = None) -> BulkAssignResult:
        """`POST /visits/assign` (supervisor): give open visits to one officer (None: unassign), on a day
        (today or later; None keeps each visit's date)."""
        body: dict[str, Any] = {"visit_ids": [int(v) for v in visit_ids], "assignee_id": assignee_id}
        if planned_date is not None:
            body["planned_date"] = planned_date
        return self._send("POST", "/visits/assign", BulkAssignResult, body)

    def suggested_assignees(self, visit_id: int, *, date: str | None = None, capacity: int | None = None,
                            limit: int | None = None) -> list[SuggestedAssignee]:
        """`GET /visits/{id}/suggested-assignees` (supervisor): hamlet officer first, then least busy."""
        return list(self._list(f"/visits/{int(visit_id)}/suggested-assignees", SuggestedAssignee,
                               date=date, capacity=capacity, limit=limit))

    def suggested_for_dossier(self, dossier_id: int, *, date: str | None = None, capacity: int | None = None,
                              limit: int | None = None) -> list[SuggestedAssignee]:
        """`GET /dossiers/{id}/suggested-assignees` (supervisor): the same ranking for a dossier with no
        open visit yet."""
        return list(self._list(f"/dossiers/{int(dossier_id)}/suggested-assignees", SuggestedAssignee,
                               date=date, capacity=capacity, limit=limit))

    def indicators(self, *, unit_id: int | None = None, date_from: str | None = None,
                   date_to: str | None = None, group_by: str | None = None) -> IndicatorReport:
        """`GET /indicators` (supervisor): counts and rates per commune, hamlet or officer."""
        return self._get("/indicators", IndicatorReport, unit_id=unit_id, date_from=date_from,
                         date_to=date_to, group_by=group_by)

    def export(self, name: str, **params: Any) -> bytes:
        """`GET /exports/<name>` (supervisor), e.g. "visits.csv", "indicators.xlsx",
        "officers/12/track.geojson" or "officers/12/track.gpx"; returns the file's bytes."""
        return self._file(f"/exports/{name.lstrip('/')}", **params)


__all__ = ["API_PREFIX", "Client", "Page"]
