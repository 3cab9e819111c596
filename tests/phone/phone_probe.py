"""Run INSIDE a venv holding only the phone's dependencies: start the phone app headless and drive it.

Usage: python phone_probe.py <repo root> <data dir> <server url> <username> <password>
Prints one JSON line: what the screens showed and which server-only modules were imported.
Exit code 0 only when the app reached the first-run screen, took the server, and logged in.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path

# what the phone must never need (the server extra and its dependencies)
SERVER_ONLY = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg", "openpyxl", "zxingcpp", "flet_web",
               "backend")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


async def probe(root: Path, data_dir: Path, server: str, user: str, password: str) -> dict:
    """Start main.py's app in the client-less harness: first-run screen, server address, login."""
    sys.path.insert(0, str(root))
    import flet as ft

    import main  # the phone's entry point, as `flet build` packs it

    harness = _load("harness", root / "tests" / "mobile" / "ui" / "harness.py")
    app = main.phone_main(data_dir, auto_sync=False)
    prefs: dict = {}
    answers = {"get": lambda a: prefs.get(a["key"]),
               "set": lambda a: prefs.update({a["key"]: a["value"]}) or True}
    h = harness.AppHarness(app, method_results=answers)
    await h.start()
    out: dict = {"first_screen": list(h.texts())}
    await h.type_text(h.find(key="setup-url"), server)
    await h.click(h.find(key="setup-save"))
    out["after_setup"] = list(h.texts())
    await h.type_text(h.find(ft.TextField, label="Tên đăng nhập"), user)
    await h.type_text(h.find(ft.TextField, label="Mật khẩu"), password)
    await h.click(h.find(key="login-btn"))
    # logging in opens the encrypted store (scrypt) and registers the evidence key off the loop
    for _ in range(600):
        if h.page.data.current[0] != "login":
            break
        await asyncio.sleep(0.05)
    out["after_login"] = list(h.texts())[:12]
    out["screen"] = h.page.data.current[0]
    out["crashes"] = [str(c) for c in h.conn.crashes()]
    h.page.on_close(None)
    out["server_only_imported"] = sorted(m for m in sys.modules if m.split(".")[0] in SERVER_ONLY)
    return out


def main_() -> int:
    """Entry point: run the probe, print its JSON, exit 0 when the phone got to its route."""
    root, data_dir, server, user, password = sys.argv[1:6]
    out = asyncio.run(probe(Path(root), Path(data_dir), server, user, password))
    print(json.dumps(out, ensure_ascii=False))
    ok = (out["screen"] == "route" and not out["crashes"] and not out["server_only_imported"]
          and "Cài đặt máy chủ" in out["first_screen"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main_())
