"""After the app process ends the phone's store is locked: the login screen asks for the password
(username prefilled), and the password alone opens it offline; a wrong one is refused."""

from __future__ import annotations

import flet as ft
from uikit import PASSWORD, click_key, login, shell, start_app

from mobile import store

DEAD_URL = "http://127.0.0.1:9"


async def test_restart_asks_for_the_password_and_opens_offline(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    rows = len(shell(h).view.filtered())
    assert rows > 0
    store.crypto.lock(shell(h).services.db)  # what the end of the app's process does to the key

    h2 = await start_app(DEAD_URL, tmp_path / "app")  # no network
    texts = h2.texts()
    assert "Đăng nhập cán bộ" in texts and "Lộ trình hôm nay" not in texts
    assert any("nhập mật khẩu để mở" in t for t in texts)
    assert h2.find(ft.TextField, label="Tên đăng nhập").value == "canbo.anphu"
    await h2.type_text(h2.find(ft.TextField, label="Mật khẩu"), "not-my-password")
    await click_key(h2, "login-btn")
    assert "Sai tên đăng nhập hoặc mật khẩu." in h2.texts()
    await h2.type_text(h2.find(ft.TextField, label="Mật khẩu"), PASSWORD)
    await click_key(h2, "login-btn")
    assert "Lộ trình hôm nay" in h2.texts()
    assert len(shell(h2).view.filtered()) == rows  # the cached route, decrypted in memory
