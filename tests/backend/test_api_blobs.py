"""Blobs: resumable chunked upload, wrong offset, wrong hash, size cap, download."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

import builders
import dbstate
import httpx
import pytest
from testkit import LiveServer

Clients = Callable[[str | None], httpx.Client]


pytestmark = pytest.mark.real_http  # chunked, resumable uploads: the transport is what is tested

def test_upload_in_two_chunks_with_resume(server: LiveServer, world: builders.World,
                                          client_for: Clients) -> None:
    a = client_for("can_bo_a")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert a.get(f"/blobs/{sha}/status").json() == {"sha256": sha, "received": 0, "total": None,
                                                     "complete": False}
    cut = 256 * 1024
    r = a.put(f"/blobs/{sha}", params={"offset": 0, "total": len(data)}, content=data[:cut])
    assert r.status_code == 200 and r.json()["received"] == cut and r.json()["complete"] is False
    # the connection dropped here: the phone asks where to resume
    status = a.get(f"/blobs/{sha}/status").json()
    assert status["received"] == cut and status["total"] == len(data)
    assert a.get(f"/blobs/{sha}").status_code == 404  # not complete yet
    r = a.put(f"/blobs/{sha}", params={"offset": status["received"], "total": len(data)}, content=data[cut:])
    assert r.status_code == 200 and r.json()["complete"] is True and r.json()["received"] == len(data)
    got = a.get(f"/blobs/{sha}")
    assert got.status_code == 200 and got.content == data
    assert not list(server.settings.blob_dir.glob("*.part"))
    again = a.put(f"/blobs/{sha}", params={"offset": 0, "total": len(data)}, content=data[:10])
    assert again.status_code == 200 and again.json()["complete"] is True


def test_wrong_offset_is_409_with_received(server: LiveServer, world: builders.World,
                                           client_for: Clients) -> None:
    a = client_for("can_bo_a")
    data = b"0123456789" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert a.put(f"/blobs/{sha}", params={"offset": 0, "total": 1000}, content=data[:400]).status_code == 200
    r = a.put(f"/blobs/{sha}", params={"offset": 600, "total": 1000}, content=data[600:])
    assert r.status_code == 409
    assert r.json()["received"] == 400 and r.json()["code"] == "offset_mismatch"
    assert a.get(f"/blobs/{sha}/status").json()["received"] == 400


def test_wrong_hash_is_422_and_nothing_is_kept(server: LiveServer, world: builders.World,
                                               client_for: Clients) -> None:
    a = client_for("can_bo_a")
    before = dbstate.snapshot(server.engine)
    sha = hashlib.sha256(b"what the phone meant").hexdigest()
    r = a.put(f"/blobs/{sha}", params={"offset": 0, "total": 9}, content=b"corrupted")
    assert r.status_code == 422 and r.json()["code"] == "hash_mismatch"
    assert a.get(f"/blobs/{sha}/status").json()["received"] == 0
    assert not list(server.settings.blob_dir.glob("*.part"))
    assert dbstate.snapshot(server.engine) == before


def test_total_over_the_cap_is_413_with_the_limit(server: LiveServer, world: builders.World,
                                                  client_for: Clients) -> None:
    a = client_for("can_bo_a")
    sha = "ab" * 32
    r = a.put(f"/blobs/{sha}", params={"offset": 0, "total": 11 * 1024 * 1024}, content=b"x" * 10)
    assert r.status_code == 413
    assert r.json()["code"] == "too_large"
    assert "10 MB" in r.json()["detail"] and "tối đa" in r.json()["detail"]
    assert a.get(f"/blobs/{sha}/status").json()["received"] == 0


def test_blob_endpoints_need_a_token_and_a_valid_sha(server: LiveServer, world: builders.World,
                                                     client_for: Clients) -> None:
    anon = client_for(None)
    assert anon.get(f"/blobs/{'ab' * 32}/status").status_code == 401
    a = client_for("can_bo_a")
    r = a.get("/blobs/NOT-A-SHA/status")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "sha"
