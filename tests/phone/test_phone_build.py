"""Slow build check: the phone app starts with only [project].dependencies installed.

`flet build apk` bundles exactly [project].dependencies; a server-only import on the phone's path
(FastAPI, SQLAlchemy, zxing-cpp, ...) would crash the installed app at start. This installs those
dependencies alone into a fresh venv (from pip's index and cache), then runs tests/phone/phone_probe.py
there: main.py's app, headless in the client-less harness, shows its first-run screen, takes a
live server's address and logs in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import builders
import pytest
from testkit import make_settings, use_sqlite_template

from api_client.domain.clock import SystemClock

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("phone_probe.py")
# distributions that must never be in the phone's dependency closure
SERVER_DISTS = {"fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg", "psycopg-binary", "openpyxl",
                "zxing-cpp", "flet-web"}

pytestmark = pytest.mark.phone_build


def phone_dependencies() -> list[str]:
    """[project].dependencies of pyproject.toml: what the phone bundles."""
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def make_phone_venv(where: Path) -> Path:
    """A venv without system packages holding the phone dependencies alone; returns its python."""
    venv.EnvBuilder(with_pip=False, clear=True).create(where)
    python = where / "bin" / "python"
    # the test runner's pip installs into the new venv (--python): no pip bootstrap inside it
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--disable-pip-version-check", *phone_dependencies()],
                   check=True, capture_output=True, text=True, timeout=300)
    return python


def installed(python: Path) -> set[str]:
    """Normalised names of the distributions installed in a venv."""
    code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
    names = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True).stdout
    return {n.strip().lower().replace("_", "-") for n in names.split()}


def test_phone_dependencies_hold_no_server_package():
    deps = {re.split(r"[=<>\[ ]", d, maxsplit=1)[0].lower() for d in phone_dependencies()}
    assert not deps & SERVER_DISTS
    assert "flet-charts" in deps  # the supervisor's indicators draw with it


@pytest.fixture
def system_clock_server(live_server, tmp_path, sqlite_template):
    """A live server on the machine's clock: the phone runs in its own process, where the tests'
    pinned clock cannot reach, so both sides must read the same (system) time."""
    settings = use_sqlite_template(make_settings(tmp_path, None, clock=SystemClock()), sqlite_template)
    return live_server(settings)


def test_phone_app_starts_with_only_its_dependencies(tmp_path, system_clock_server):
    sqlite_server = system_clock_server
    python = make_phone_venv(tmp_path / "venv")
    dists = installed(python)
    assert not dists & SERVER_DISTS, dists & SERVER_DISTS
    builders.world(sqlite_server.engine)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DOORSTEP_BACKEND_URL")}
    run = subprocess.run(
        [str(python), str(PROBE), str(ROOT), str(tmp_path / "phone-store"), sqlite_server.url, "can_bo_a",
         builders.PASSWORD],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr[-3000:]}"
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert "Cài đặt máy chủ" in out["first_screen"]
    # no QR decoder on a phone (zxing-cpp is server-only): typing or pasting the code is offered
    assert "Máy này không đọc được ảnh mã QR: hãy nhập hoặc dán nội dung mã." in out["first_screen"]
    assert "Đăng nhập cán bộ" in out["after_setup"]
    assert out["screen"] == "route" and out["server_only_imported"] == []


def test_flet_build_configuration_and_assets_are_complete():
    from PIL import Image

    flet = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["flet"]
    for key in ("org", "product", "company", "artifact", "bundle_id", "build_number", "permissions"):
        assert flet.get(key), key
    app_dir = ROOT / flet["app"]["path"]
    assert (app_dir / f"{flet['app']['module']}.py").is_file()
    assert "backend" in flet["app"]["exclude"]  # the server never ships inside the APK
    assert flet["android"]["permission"]["android.permission.ACCESS_BACKGROUND_LOCATION"] is False
    with Image.open(app_dir / "assets" / "icon.png") as icon:
        assert icon.format == "PNG" and icon.size == (1024, 1024)
    with Image.open(app_dir / "assets" / "splash.png") as splash:
        assert splash.format == "PNG" and splash.size[0] == splash.size[1] >= 512
