"""Every error as JSON {"detail", "code"} (422 adds "errors"); gzip request bodies accepted."""

from __future__ import annotations

import gzip
import logging
import zlib
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("doorstep.errors")

MAX_GZIP_INFLATED = 64 * 1024 * 1024  # a gzip bomb must not take the server down

_CODE_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                   405: "method_not_allowed", 409: "conflict", 413: "too_large",
                   415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests"}


class ApiError(Exception):
    """An expected failure with an HTTP status, a machine code and a Vietnamese-first message."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra
        self.headers = headers
        self.audited = False  # set once the audit log already holds this refusal


def not_found(what: str = "Không tìm thấy (not found)") -> ApiError:
    """A 404 that never says whether the thing exists for someone else."""
    return ApiError(404, "not_found", what)


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    """The JSON shape of every error response."""
    return {"detail": detail, "code": code, **extra}


def clean_msg(msg: str) -> str:
    """Pydantic prefixes custom messages with 'Value error, '; the user needs only the message."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            return msg[len(prefix):]
    return msg


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic/FastAPI errors reduced to [{loc, msg}] (ctx may hold non-JSON values)."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": clean_msg(str(e.get("msg", "")))}
            for e in errors]


def summarize(errors: list[dict[str, Any]]) -> str:
    """One readable line from the first few errors."""
    parts = [f"{'.'.join(e['loc'])}: {e['msg']}" if e["loc"] else e["msg"] for e in errors[:3]]
    more = f" (+{len(errors) - 3})" if len(errors) > 3 else ""
    return "Dữ liệu không hợp lệ (invalid input): " + "; ".join(parts) + more


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    hook = getattr(request.app.state, "on_refusal", None)
    if hook is not None and not exc.audited:
        await hook(request, exc)  # the app's audit log (backend/app.py); must not raise
    return JSONResponse(error_body(exc.detail, exc.code, **exc.extra), status_code=exc.status,
                        headers=exc.headers)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODE_BY_STATUS.get(exc.status_code, "error")
    return JSONResponse(error_body(str(exc.detail), code), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    errors = validation_errors(raw)
    if any(e.get("type") == "json_invalid" for e in raw):
        body = error_body("JSON không hợp lệ (malformed JSON body)", "malformed_json", errors=errors)
    else:
        body = error_body(summarize(errors), "validation_error", errors=errors)
    return JSONResponse(body, status_code=422)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("Lỗi máy chủ, vui lòng thử lại (internal server error)", "internal"),
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)


class GzipRequestMiddleware:
    """Inflate `Content-Encoding: gzip` request bodies before the app sees them (the phone gzips >1 KB)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through unless the request body is gzip-encoded."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]]
        encoding = next((v for k, v in headers if k == b"content-encoding"), b"").strip().lower()
        if encoding != b"gzip":
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        try:
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            body = inflater.decompress(b"".join(chunks), MAX_GZIP_INFLATED)
            if inflater.unconsumed_tail:
                raise ValueError("too large")
        except (zlib.error, gzip.BadGzipFile, ValueError, EOFError):
            response = JSONResponse(
                error_body("Nội dung nén gzip bị lỗi hoặc quá lớn (bad gzip body)", "bad_encoding"),
                status_code=422)
            await response(scope, receive, send)
            return
        new_headers = [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]
        new_headers.append((b"content-length", str(len(body)).encode()))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # after the body: disconnects etc.
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": new_headers}, replay, send)
