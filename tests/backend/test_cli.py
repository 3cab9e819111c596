"""The `doorstep` command: accounts, seeding, import, and how serve/demo/app start uvicorn."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine, func, select

from backend.cli import main
from backend.config import Settings
from backend.db.engine import make_engine
from backend.db.schema import catalogues, dossiers, officer_units, officers, units
from backend.security import verify_password

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "import_sample.csv"


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)


def db_args(tmp_path: Path, url: str | None = None) -> list[str]:
    """--data-dir (and --database-url) for a test database."""
    return ["--data-dir", str(tmp_path / "data")] + (["--database-url", url] if url else [])


def engine_for(tmp_path: Path, url: str | None = None) -> Engine:
    """An engine on the database the CLI used."""
    return make_engine(Settings(data_dir=tmp_path / "data", database_url=url))


class FakeUvicorn:
    """Stands in for uvicorn.run; remembers what it was asked to serve and what was printed before."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.calls: list[dict[str, Any]] = []
        self.printed_before = ""

    def __call__(self, app: Any, **kwargs: Any) -> None:
        self.printed_before = self.capsys.readouterr().out
        self.calls.append({"app": app, **kwargs})


def test_create_user_then_password_verifies(tmp_path: Path, db_url: str | None,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["create-user", "--username", "canbo.test", "--password", "matkhau123",
                 "--full-name", "Ngô Thị Thử", "--role", "hamlet_officer",
                 "--unit", "000.21.01.H01", "000.21.01.H01.03", *db_args(tmp_path, db_url)])
    assert code == 0
    assert "Đã tạo tài khoản 'canbo.test'" in capsys.readouterr().out
    with engine_for(tmp_path, db_url).connect() as conn:
        row = conn.execute(select(officers).where(officers.c.username == "canbo.test")).one()
        linked = conn.execute(
            select(units.c.code).join(officer_units, officer_units.c.unit_id == units.c.id)
            .where(officer_units.c.officer_id == row.id).order_by(units.c.code)).scalars().all()
    assert (row.full_name, row.role, row.active) == ("Ngô Thị Thử", "hamlet_officer", True)
    assert verify_password("matkhau123", row.password_hash)
    assert not verify_password("wrong-password", row.password_hash)
    assert linked == ["000.21.01.H01", "000.21.01.H01.03"]

    again = main(["create-user", "--username", "canbo.test", "--password", "matkhau123", "--full-name", "X",
                  "--role", "supervisor", *db_args(tmp_path, db_url)])
    assert again == 1
    assert "đã có" in capsys.readouterr().err


def test_create_user_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["create-user", "--full-name", "Lê Văn A", "--role", "postal_worker", *db_args(tmp_path)]
    assert main([*base, "--username", "buudien.x", "--password", "matkhau123", "--unit", "999.99"]) == 1
    assert "Không có đơn vị mã: 999.99" in capsys.readouterr().err
    assert main([*base, "--username", "buudien.x", "--password", "short"]) == 1
    assert "password" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["create-user", "--username", "a.b", "--password", "matkhau123", "--full-name", "A",
              "--role", "admin", *db_args(tmp_path)])
    assert exc.value.code == 2


def test_seed_demo_twice_is_safe(tmp_path: Path, db_url: str | None,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "--demo", *db_args(tmp_path, db_url)]) == 0
    first = capsys.readouterr().out
    assert "Đã tạo dữ liệu mẫu: 64 đơn vị, 11 cán bộ, 200 công dân, 210 hồ sơ" in first
    assert "canbo.anphu" in first and "giamsat.angiang" in first and "doorstep123" in first
    assert main(["seed", "--demo", *db_args(tmp_path, db_url)]) == 0
    assert "Dữ liệu mẫu đã có sẵn, không tạo lại" in capsys.readouterr().out
    with engine_for(tmp_path, db_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(officers)).scalar_one() == 11
        assert conn.execute(select(func.count()).select_from(dossiers)).scalar_one() == 210


def test_seed_needs_the_demo_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", *db_args(tmp_path)]) == 2
    assert "--demo" in capsys.readouterr().err


def test_import_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed", "--demo", *db_args(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["import", str(SAMPLE), *db_args(tmp_path)]) == 1  # some rows were rejected
    out = capsys.readouterr().out
    assert "đã nhập 3 hồ sơ" in out and "lỗi 5" in out
    assert "Lỗi dòng 6: Không có thủ tục 'cap_so_do'" in out
    assert main(["import", str(tmp_path / "nothing.csv"), *db_args(tmp_path)]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err


def test_serve_builds_the_app_with_its_own_public_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--no-web-ui", *db_args(tmp_path)]) == 0
    (call,) = fake.calls
    assert (call["host"], call["port"], call["log_level"]) == ("0.0.0.0", 8123, "info")
    settings = call["app"].state.settings
    assert settings.public_url == "http://127.0.0.1:8123"  # the wildcard address is not reachable
    assert settings.web_ui is False and settings.data_dir == tmp_path / "data"
    with call["app"].state.engine.connect() as conn:  # reference data is there before any seed
        assert conn.execute(select(catalogues.c.version)).scalars().all() == [1]
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == 64
    # the address phones use (the provisioning QR, the receipt's lookup page) can be given
    monkeypatch.delenv("DOORSTEP_LOOKUP_BASE_URL", raising=False)
    assert main(["serve", "--port", "8123", "--no-web-ui", "--public-url", "https://motcua.example.vn/",
                 *db_args(tmp_path)]) == 0
    settings = fake.calls[-1]["app"].state.settings
    assert settings.public_url == "https://motcua.example.vn"
    assert settings.lookup_url == "https://motcua.example.vn/tra-cuu"


def test_demo_prints_logins_before_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    assert main(["demo", "--port", "8124", "--no-web-ui", *db_args(tmp_path)]) == 0
    assert fake.calls[0]["port"] == 8124
    printed = fake.printed_before
    assert "http://127.0.0.1:8124" in printed
    for username in ("canbo.anphu", "buudien.anphu", "giamsat.angiang"):
        assert username in printed
    assert "doorstep123" in printed
    assert main(["demo", "--port", "8124", "--no-web-ui", *db_args(tmp_path)]) == 0  # already seeded
    assert "không tạo lại" in fake.printed_before


def test_app_serves_only_the_web_ui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    # A stand-in module: the real web UI is heavy and not what this test is about.
    made: list[tuple[str, Path]] = []
    web = types.ModuleType("mobile.web")
    web.make_asgi_app = lambda url, data_dir, clock=None: made.append((url, data_dir)) or "ASGI"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mobile.web", web)
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    assert main(["app", "--backend-url", "https://doorstep.example.vn/", "--port", "8600",
                 "--data-dir", str(tmp_path)]) == 0
    assert made == [("https://doorstep.example.vn", tmp_path)]
    assert fake.calls == [{"app": "ASGI", "host": "127.0.0.1", "port": 8600, "log_level": "info"}]
    # --first-run: no preset server, each tab shows the first-run screen like a new phone
    assert main(["app", "--first-run", "--port", "8600", "--data-dir", str(tmp_path)]) == 0
    assert made[-1] == (None, tmp_path)


def test_unreachable_database_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["seed", "--demo", *db_args(tmp_path, "postgresql://nobody@127.0.0.1:1/none")])
    assert code == 2
    assert "Không kết nối được cơ sở dữ liệu" in capsys.readouterr().err


def test_serve_with_workers_hands_uvicorn_a_factory_and_the_settings_in_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the command exports settings for its workers
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    argv = ["serve", "--workers", "3", "--no-web-ui", "--no-dispatch", "--port", "8125", *db_args(tmp_path)]
    assert main(argv) == 0
    (call,) = fake.calls
    assert call["app"] == "backend.app:app_from_env" and call["factory"] is True and call["workers"] == 3
    assert "doorstep web --backend-url http://127.0.0.1:8125" in fake.printed_before
    # what each worker will build from the environment
    from backend.app import app_from_env

    app = app_from_env()
    settings = app.state.settings
    assert settings.data_dir == (tmp_path / "data").resolve() and settings.database_url is None
    assert (settings.web_ui, settings.notice_dispatch, settings.public_url) == (
        False, False, "http://127.0.0.1:8125")
    assert settings.secret_key == (tmp_path / "data" / "secret.key").read_text()  # one key for all workers
    app.state.engine.dispose()


def test_serve_refuses_several_workers_with_the_web_ui_mounted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    assert main(["serve", "--workers", "2", *db_args(tmp_path)]) == 2
    assert "doorstep web" in capsys.readouterr().err and fake.calls == []
    assert main(["serve", "--workers", "0", "--no-web-ui", *db_args(tmp_path)]) == 2
    assert "--workers" in capsys.readouterr().err and fake.calls == []


def test_web_runs_the_ui_alone_against_the_local_api_by_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    made: list[tuple[str, Path]] = []
    web = types.ModuleType("mobile.web")
    web.make_asgi_app = lambda url, data_dir, clock=None: made.append((url, data_dir)) or "ASGI"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mobile.web", web)
    fake = FakeUvicorn(capsys)
    monkeypatch.setattr(uvicorn, "run", fake)
    assert main(["web", "--data-dir", str(tmp_path)]) == 0
    assert made == [("http://127.0.0.1:8000", tmp_path)]
    assert fake.calls == [{"app": "ASGI", "host": "127.0.0.1", "port": 8550, "log_level": "info"}]


def test_dispatch_needs_a_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DOORSTEP_NOTICE_WEBHOOK_URL", raising=False)
    assert main(["dispatch", *db_args(tmp_path)]) == 2
    assert "--webhook-url" in capsys.readouterr().err
    gateway = ["--webhook-url", "http://127.0.0.1:9/sms"]
    assert main(["dispatch", *gateway, "--lease", "0", *db_args(tmp_path)]) == 2


def test_migrate_upgrades_once_and_says_what_it_did(tmp_path: Path, empty_db_url: str | None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from backend.db.migrations import MIGRATIONS

    assert main(["migrate", *db_args(tmp_path, empty_db_url)]) == 0
    assert ", ".join(str(v) for v, _, _ in MIGRATIONS) in capsys.readouterr().out
    assert main(["migrate", *db_args(tmp_path, empty_db_url)]) == 0
    assert "already up to date" in capsys.readouterr().out
    with engine_for(tmp_path, empty_db_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(units)).scalar_one() == 64
