"""Client behaviour that needs a scripted server: retries, backoff, Retry-After, errors, gzip."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from api_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    Client,
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from api_client.domain.clock import now_utc
from api_client.retry import parse_retry_after
from api_client.tokens import TokenStore

Handler = Callable[[httpx.Request], httpx.Response]


def make(handler: Handler, sleeps: list[float] | None = None, attempts: int = 3) -> Client:
    waits = sleeps if sleeps is not None else []
    policy = RetryPolicy(max_attempts=attempts, base_delay=1.0, max_delay=30.0, jitter=0.0,
                         sleep=waits.append)
    return Client("http://phone.test", token="tok", retry=policy, transport=httpx.MockTransport(handler))


def test_get_retries_503_with_exponential_backoff_then_succeeds() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) < 3:
            return httpx.Response(503, json={"detail": "busy"})
        return httpx.Response(200, json={"status": "ok", "database": "sqlite", "version": "1"})

    sleeps: list[float] = []
    with make(handler, sleeps) as api:
        assert api.health()["status"] == "ok"
    assert calls == ["/api/v1/health"] * 3
    assert sleeps == [1.0, 2.0]


def test_retry_after_seconds_and_http_date_are_honoured() -> None:
    when = now_utc() + timedelta(seconds=20)
    answers = [httpx.Response(429, headers={"Retry-After": "7"}, json={"detail": "slow"}),
               httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)},
                              json={"detail": "slow"}),
               httpx.Response(200, json={"status": "ok"})]
    sleeps: list[float] = []
    with make(lambda r: answers.pop(0), sleeps) as api:
        api.health()
    assert sleeps[0] == 7.0
    assert 15.0 <= sleeps[1] <= 20.0
    assert parse_retry_after("garbage") is None


def test_gives_up_after_max_attempts_with_typed_error() -> None:
    sleeps: list[float] = []
    with make(lambda r: httpx.Response(429, json={"detail": "Quá nhiều yêu cầu", "code": "rate"}),
              sleeps) as api, pytest.raises(RateLimitError) as info:
        api.me()
    assert info.value.status_code == 429 and info.value.detail == "Quá nhiều yêu cầu"
    assert info.value.code == "rate"
    assert len(sleeps) == 2


def test_non_idempotent_post_is_never_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503, json={"detail": "down"})

    with make(handler) as api, pytest.raises(ServerError):
        api.create_visit({"kind": "pickup", "dossier_id": 1, "planned_date": "2026-01-01"})
    assert calls == ["POST"]


def test_push_is_retried_because_events_are_idempotent() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        if len(bodies) == 1:
            raise httpx.ConnectError("down", request=request)
        return httpx.Response(200, json={"results": [{"id": "e1", "status": "applied"}]})

    with make(handler) as api:
        response = api.push([{"id": "e1", "type": "visit.en_route"}])
    assert [r.status.value for r in response.results] == ["applied"]
    assert len(bodies) == 2 and bodies[0] == bodies[1]  # the very same event, same id


def test_connection_error_and_timeout_map_to_typed_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    sleeps: list[float] = []
    with make(refuse, sleeps, attempts=2) as api, pytest.raises(APIConnectionError) as info:
        api.units()
    assert not isinstance(info.value, APITimeoutError)
    assert sleeps == [1.0]
    with make(slow, attempts=1) as api, pytest.raises(APITimeoutError):
        api.units()


@pytest.mark.parametrize(("status", "error"), [
    (401, AuthenticationError), (403, PermissionDeniedError), (404, NotFoundError),
    (409, ConflictError), (413, PayloadTooLargeError), (422, ValidationError), (500, ServerError),
])
def test_status_codes_map_to_error_classes_with_detail(status: int, error: type[APIStatusError]) -> None:
    body = {"detail": "Không thể chuyển hồ sơ từ 1 sang 10", "code": "x",
            "errors": [{"loc": ["body", "status"], "msg": "bad"}]}
    with make(lambda r: httpx.Response(status, json=body), attempts=1) as api, pytest.raises(error) as info:
        api.get_dossier(5)
    err = info.value
    assert err.detail == body["detail"]
    assert err.status_code == status
    if status == 422:
        assert err.errors == body["errors"]


def test_non_json_error_body_still_has_a_detail() -> None:
    with make(lambda r: httpx.Response(502, text="Bad gateway from nginx"), attempts=1) as api, \
            pytest.raises(ServerError) as info:
        api.me()
    assert "nginx" in info.value.detail


def test_large_json_bodies_are_gzipped_small_ones_are_not() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"results": []})

    big = [{"id": f"e{i}", "type": "visit.en_route", "note": "Nguyễn Văn A " * 20} for i in range(10)]
    with make(handler) as api:
        api.push(big)
        api.push([{"id": "e1"}])
    assert seen[0].headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(seen[0].content))["events"] == big
    assert "Content-Encoding" not in seen[1].headers
    assert json.loads(seen[1].content) == {"events": [{"id": "e1"}]}
    assert seen[0].headers["Authorization"] == "Bearer tok"


def test_login_stores_token_and_list_reads_total() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json={
                "access_token": "new", "expires_at": "2030-01-01T00:00:00+00:00",
                "officer": {"id": 1, "username": "a", "full_name": "A", "role": "hamlet_officer"}})
        assert request.headers["Authorization"] == "Bearer new"
        assert request.url.params["status"] == "planned" and "kind" not in request.url.params
        return httpx.Response(200, headers={"X-Total-Count": "42"}, json=[])

    with Client("http://x.test/api/v1", transport=httpx.MockTransport(handler)) as api:
        api.login("a", "password1")
        page = api.list_visits(status="planned")
    assert page == [] and page.total == 42


def test_upload_resumes_from_server_offset_and_recovers_from_409() -> None:
    data = bytes(range(256)) * 40  # 10240 bytes
    sha = hashlib.sha256(data).hexdigest()
    held = bytearray(data[:3000])  # a previous attempt got this far
    puts: list[tuple[int, int]] = []
    first_put = [True]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/status"):
            return httpx.Response(200, json={"sha256": sha, "received": len(held), "total": len(data)})
        offset = int(request.url.params["offset"])
        if first_put[0]:
            # Another attempt raced us: the server moved on, our offset is stale.
            first_put[0] = False
            held.extend(data[3000:4000])
            return httpx.Response(409, json={"detail": "wrong offset", "received": len(held)})
        assert offset == len(held)
        puts.append((offset, len(request.content)))
        held.extend(request.content)
        done = len(held) == len(data)
        return httpx.Response(200, json={"sha256": sha, "received": len(held), "total": len(data),
                                         "complete": done})

    with make(handler) as api:
        status = api.upload_blob(data, chunk_size=4096)
    assert status.complete and bytes(held) == data
    assert puts == [(4000, 4096), (8096, 2144)]  # never re-sent the first 4000 bytes



_OFFICER = {"id": 1, "username": "a", "full_name": "A", "role": "hamlet_officer"}


def _pair(n: int) -> dict[str, object]:
    return {"access_token": f"acc{n}", "refresh_token": f"ref{n}", "expires_at": "2030-01-01T00:00:00+00:00",
            "expires_in": 900, "officer": _OFFICER}


def test_expired_access_token_is_renewed_once_and_the_request_repeated() -> None:
    seen: list[tuple[str, str | None, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Authorization"), request.content))
        if request.url.path.endswith("/auth/refresh"):
            assert json.loads(request.content) == {"refresh_token": "ref1"}
            return httpx.Response(200, json=_pair(2))
        if request.headers["Authorization"] == "Bearer acc1":
            return httpx.Response(401, json={"detail": "Phiên đăng nhập đã hết hạn", "code": "token_expired"})
        return httpx.Response(200, json={"results": []})

    saved = []

    class Store(TokenStore):
        def load(self) -> tuple[str | None, str | None]:
            return "acc1", "ref1"  # nobody else renewed: the client spends its own refresh token

        def save(self, token) -> None:  # type: ignore[no-untyped-def]
            saved.append(token.refresh_token)

    api = Client("http://x.test", token="acc1", refresh_token="ref1", token_store=Store(),
                 retry=RetryPolicy.none(), transport=httpx.MockTransport(handler))
    assert api.push([{"id": "e1"}]).results == []
    paths = [p for p, _, _ in seen]
    assert paths == ["/api/v1/sync/push", "/api/v1/auth/refresh", "/api/v1/sync/push"]
    assert seen[2][1] == "Bearer acc2" and seen[2][2] == seen[0][2]  # the same body, the new token
    assert (api.token, api.refresh_token, saved) == ("acc2", "ref2", ["ref2"])


def test_other_401s_and_a_failed_renewal_are_not_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/auth/refresh"):
            return httpx.Response(401, json={"detail": "Thiết bị đã bị thu hồi", "code": "device_revoked"})
        if request.url.path.endswith("/me"):
            return httpx.Response(401, json={"detail": "Thiết bị đã bị thu hồi", "code": "device_revoked"})
        return httpx.Response(401, json={"detail": "hết hạn", "code": "token_expired"})

    api = Client("http://x.test", token="acc1", refresh_token="ref1", retry=RetryPolicy.none(),
                 transport=httpx.MockTransport(handler))
    with pytest.raises(AuthenticationError) as err:
        api.me()
    assert err.value.code == "device_revoked" and calls == ["/api/v1/me"]
    calls.clear()
    with pytest.raises(AuthenticationError) as err:
        api.list_visits()
    # one renewal attempt, refused: the caller gets the original 401 (log in again)
    assert err.value.code == "token_expired" and calls == ["/api/v1/visits", "/api/v1/auth/refresh"]
