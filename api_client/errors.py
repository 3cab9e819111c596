"""Typed errors raised by `api_client.Client`.

    DoorstepError
    ├── APIConnectionError            no answer: network down, DNS, refused, reset
    │   └── APITimeoutError           the request took longer than the client timeout
    └── APIStatusError                the server answered with a 4xx/5xx status
        ├── AuthenticationError       401  missing, expired or forged token; wrong password
        ├── PermissionDeniedError     403  wrong role
        ├── NotFoundError             404  unknown (or someone else's) resource
        ├── ConflictError             409  illegal move, wrong blob offset, ...
        ├── PayloadTooLargeError      413  blob above the server's cap
        ├── ValidationError           422  invalid body or parameters
        ├── LockedError               423  account locked after wrong passwords (see Retry-After)
        ├── RateLimitError            429  slow down (see Retry-After)
        └── ServerError               5xx  the server failed

Every `APIStatusError` carries the HTTP status, the server's `detail` message (Vietnamese
first), its machine `code` and the decoded JSON body, so the UI can show `detail` as is.
"""

from __future__ import annotations

from typing import Any

import httpx


class DoorstepError(Exception):
    """Base of every error the client raises."""


class APIConnectionError(DoorstepError):
    """The server could not be reached (offline, refused, reset): the request may be retried."""

    def __init__(self, message: str = "Không kết nối được máy chủ (connection error)",
                 *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out; whether the server acted is unknown."""

    def __init__(self, message: str = "Máy chủ không trả lời kịp (request timed out)",
                 *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIStatusError(DoorstepError):
    """The server answered with an error status; `detail` is its message for humans."""

    def __init__(self, status_code: int, detail: str, *, code: str | None = None,
                 body: Any = None, response: httpx.Response | None = None) -> None:
        super().__init__(f"{status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail
        self.code = code
        self.body = body
        self.response = response


class AuthenticationError(APIStatusError):
    """401: log in again."""


class PermissionDeniedError(APIStatusError):
    """403: the officer's role does not allow this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not yours)."""


class ConflictError(APIStatusError):
    """409: the server state disagrees with the request."""


class PayloadTooLargeError(APIStatusError):
    """413: the body (a blob) is above the server's limit."""


class ValidationError(APIStatusError):
    """422: invalid input; `errors` lists the fields at fault when the server says so."""

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Field errors from the body (`[{"loc": [...], "msg": "..."}]`), possibly empty."""
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), list):
            return list(self.body["errors"])
        return []


class LockedError(APIStatusError):
    """423: the account is locked after repeated wrong passwords; `detail` says until when."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class ServerError(APIStatusError):
    """5xx: the server failed (or a proxy in front of it)."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: ValidationError,
    423: LockedError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The most specific error class for an HTTP status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def error_from_response(response: httpx.Response) -> APIStatusError:
    """Build the typed error for an error response, keeping the server's detail and code."""
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = response.text
    detail: str | None = None
    code: str | None = None
    if isinstance(body, dict):
        raw = body.get("detail")
        # FastAPI's own 422s put a list in `detail`; show it readably rather than as a repr.
        if isinstance(raw, str):
            detail = raw
        elif raw is not None:
            detail = str(raw)
        code = body.get("code") if isinstance(body.get("code"), str) else None
    if not detail:
        detail = (body if isinstance(body, str) and body else None) or response.reason_phrase or "error"
    cls = error_class_for(response.status_code)
    return cls(response.status_code, detail, code=code, body=body, response=response)


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "ConflictError",
    "DoorstepError",
    "LockedError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
    "error_class_for",
    "error_from_response",
]
