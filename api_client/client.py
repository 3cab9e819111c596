"""`Client`: the typed HTTP client for the Doorstep API v1 (see docs/sync-protocol.md).

Phone-safe: only httpx and pydantic. One method per endpoint; responses come back as the
pydantic models of `api_client.models`; error statuses raise the typed errors of
`api_client.errors` with the server's `detail` message.

    with Client("http://127.0.0.1:8000") as api:
        api.login("officer1", "secret")          # stores the token on the client
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
    APITimeoutError,
    ConflictError,
    error_from_response,
)
from .models import (
    BlobStatus,
    CataloguePublic,
    CitizenPublic,
    DossierPublic,
    OfficerPublic,
    PullResponse,
    PushResponse,
    TokenPublic,
    UnitPublic,
    VisitPublic,
)
from .models.sync import MAX_BATCH
from .retry import RetryPolicy, parse_retry_after

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
    ) -> None:
        base = base_url.rstrip("/")
        # Accept both the server root and the API root, so settings may hold either.
        self._prefix = "" if base.endswith(API_PREFIX) else API_PREFIX
        self.base_url = base
        self.token = token
        self.retry = retry or RetryPolicy()
        self._http = httpx.Client(
            base_url=base,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "doorstep-api-client/1",
                     **(headers or {})},
        )

    # -- plumbing ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying connection pool."""
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
            if self.retry.should_retry(attempt=attempt, method=method, path=path,
                                       status_code=response.status_code):
                wait = parse_retry_after(response.headers.get("Retry-After"))
                self.retry.sleep(self.retry.delay(attempt, wait))
                continue
            raise error_from_response(response)

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

    def login(self, username: str, password: str) -> TokenPublic:
        """`POST /auth/login`; stores the token on the client for later calls."""
        response = self.request("POST", "/auth/login",
                                json_body={"username": username, "password": password})
        token = TokenPublic.model_validate(response.json())
        self.token = token.access_token
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
                    page: int | None = None, page_size: int | None = None) -> Page[VisitPublic]:
        """`GET /visits` with filters; `.total` holds X-Total-Count."""
        return self._list("/visits", VisitPublic, date=date, status=status, kind=kind,
                          assignee_id=assignee_id, page=page, page_size=page_size)

    def get_visit(self, visit_id: int) -> VisitPublic:
        """`GET /visits/{id}`."""
        return self._get(f"/visits/{int(visit_id)}", VisitPublic)

    def create_visit(self, body: BaseModel | Mapping[str, Any]) -> VisitPublic:
        """`POST /visits` (supervisor) with a `VisitCreate`."""
        response = self.request("POST", "/visits", json_body=_dump(body))
        return VisitPublic.model_validate(response.json())

    def update_visit(self, visit_id: int, body: BaseModel | Mapping[str, Any]) -> VisitPublic:
        """`PATCH /visits/{id}` (supervisor) with a `VisitAssign`: reassign, reschedule or cancel."""
        # Only the fields the caller set: an unset assignee must not read as "unassign".
        response = self.request("PATCH", f"/visits/{int(visit_id)}",
                                json_body=_dump(body, exclude_unset=True))
        return VisitPublic.model_validate(response.json())

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
        response = self.request("POST", f"/dossiers/{int(dossier_id)}/status", json_body=body)
        return DossierPublic.model_validate(response.json())

    def get_citizen(self, citizen_id: int) -> CitizenPublic:
        """`GET /citizens/{id}`."""
        return self._get(f"/citizens/{int(citizen_id)}", CitizenPublic)

    def create_officer(self, body: BaseModel | Mapping[str, Any]) -> OfficerPublic:
        """`POST /officers` (supervisor) with an `OfficerCreate`."""
        response = self.request("POST", "/officers", json_body=_dump(body))
        return OfficerPublic.model_validate(response.json())

    # -- sync ---------------------------------------------------------------------------

    def push(self, events: Iterable[BaseModel | Mapping[str, Any]]) -> PushResponse:
        """`POST /sync/push`: one EventResult per event, in order (split into batches of 200)."""
        raw = [_dump(e) for e in events]
        if not raw:
            return PushResponse(results=[])
        results = []
        for start in range(0, len(raw), MAX_BATCH):
            response = self.request("POST", "/sync/push", json_body={"events": raw[start:start + MAX_BATCH]})
            results.extend(PushResponse.model_validate(response.json()).results)
        return PushResponse(results=results)

    def pull(self, cursor: str | None = "", limit: int | None = None) -> PullResponse:
        """`GET /sync/pull`: changes since `cursor` ("" = full first sync)."""
        return self._get("/sync/pull", PullResponse, cursor=cursor or "", limit=limit)

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
        return self.request("GET", f"/blobs/{sha256}", headers={"Accept": "*/*"}).content


__all__ = ["API_PREFIX", "Client", "Page"]
