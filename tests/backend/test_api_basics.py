"""Health, 404s, login and tokens over real HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import builders
import httpx
import pytest
from testkit import TEST_SECRET, LiveServer

from api_client.domain.clock import now_utc
from backend.security import make_token

# raw URLs, the OpenAPI and docs pages: what a browser or curl sees over the wire
pytestmark = pytest.mark.real_http

def test_health_names_the_database(server: LiveServer) -> None:
    r = httpx.get(f"{server.api}/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == server.engine.dialect.name
    assert body["version"]


def test_unknown_api_path_is_json_404(server: LiveServer) -> None:
    r = httpx.get(f"{server.api}/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["code"] == "not_found"
    assert "/api/v1/nope" in r.json()["detail"]


def test_openapi_and_docs_are_served(server: LiveServer) -> None:
    spec = httpx.get(f"{server.url}/api/openapi.json").json()
    assert "/api/v1/sync/push" in spec["paths"]
    assert "/api/v1/blobs/{sha}" in spec["paths"]
    assert httpx.get(f"{server.url}/api/docs").status_code == 200


def test_api_docs_use_only_files_this_server_serves(server: LiveServer) -> None:
    """Offline, a CDN link leaves /api/docs blank: every script, style and icon must be local."""
    page = httpx.get(f"{server.url}/api/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*['"]([^'"]+)['"]""", page.text)
    found = [a or b for a, b in urls]
    assert len(found) >= 4, found  # script, style, icon, the schema
    assert not [u for u in found if "//" in u], found  # no absolute (remote) address at all
    for url in found:
        r = httpx.get(f"{server.url}{url}")
        assert r.status_code == 200, url
    js = httpx.get(f"{server.url}/api/docs-static/swagger-ui-bundle.js")
    assert "javascript" in js.headers["content-type"] and len(js.content) > 500_000
    assert httpx.get(f"{server.url}/api/docs/oauth2-redirect").status_code == 200


def test_login_ok_returns_token_and_officer(server: LiveServer, world: builders.World) -> None:
    r = httpx.post(f"{server.api}/auth/login", json={"username": "can_bo_a", "password": builders.PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["officer"]["id"] == world.officer_a
    assert body["officer"]["unit_ids"] == [world.x["hamlets"][0]]
    assert "password_hash" not in body["officer"]
    me = httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "can_bo_a"
    assert body["expires_at"][:4].isdigit() and "T" in body["expires_at"]


def test_login_wrong_password_and_unknown_user_are_401(server: LiveServer, world: builders.World) -> None:
    for creds in ({"username": "can_bo_a", "password": "sai-mat-khau"},
                  {"username": "khong_co_ai", "password": builders.PASSWORD}):
        r = httpx.post(f"{server.api}/auth/login", json=creds)
        assert r.status_code == 401
        assert r.json()["code"] == "bad_credentials"
        assert r.json()["detail"].startswith("Sai tên đăng nhập")


def test_inactive_officer_cannot_log_in_or_use_token(server: LiveServer, world: builders.World) -> None:
    with server.engine.begin() as conn:
        oid = builders.officer(conn, "nghi_viec", active=False)
    r = httpx.post(f"{server.api}/auth/login", json={"username": "nghi_viec", "password": builders.PASSWORD})
    assert r.status_code == 401
    token = builders.session_token(server.engine, TEST_SECRET, oid)
    assert httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_missing_expired_and_forged_tokens_are_401(server: LiveServer, world: builders.World) -> None:
    assert httpx.get(f"{server.api}/me").status_code == 401
    expired = builders.session_token(server.engine, TEST_SECRET, world.officer_a, -10)
    r = httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and "hết hạn" in r.json()["detail"] and r.json()["code"] == "token_expired"
    good = builders.session_token(server.engine, TEST_SECRET, world.officer_a)
    body, sig = good.split(".")
    forged = f"{body}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}"
    r = httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"
    other_key = builders.session_token(server.engine, "another-secret", world.officer_a)
    assert httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {other_key}"}).status_code == 401
    # a token without a login session (as issued before sessions existed) cannot be revoked: refused
    sessionless, _ = make_token(TEST_SECRET, world.officer_a, 3600, now_utc().timestamp())
    r = httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {sessionless}"})
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"
    assert httpx.get(f"{server.api}/me", headers={"Authorization": f"Bearer {good}"}).status_code == 200
