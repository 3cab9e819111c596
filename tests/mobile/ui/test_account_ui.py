"""Issue 9 in the app: wrong passwords end in the Vietnamese lockout message; the supervisor sees the
lockout and the officer's phones on the officer's day screen, lifts it, and can revoke a phone."""

from __future__ import annotations

from supkit import by_key, start_supervisor, sup_api
from uikit import click_key, login, shell, start_app, wait_until

from mobile import store

OFFICER, PASSWORD = "canbo.anphu", "doorstep123"


async def test_lockout_message_and_supervisor_lifts_it(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "officer")
    for n in range(5):
        await login(h, OFFICER, "sai-mat-khau", wait_sync=False)
        want = "Tài khoản tạm khóa" if n == 4 else "Sai tên đăng nhập hoặc mật khẩu."
        await wait_until(h, lambda want=want: any(want in t for t in h.texts()), what=f"attempt {n + 1}")
    locked = next(t for t in h.texts() if "Tài khoản tạm khóa" in t)
    assert "Thử lại sau" in locked and "(giờ Việt Nam)" in locked and "cán bộ giám sát mở khóa" in locked
    # the right password is refused too while locked
    await login(h, OFFICER, PASSWORD, wait_sync=False)
    api = sup_api(seeded_server.url)
    assert len(api.audit_log(event="login_locked")) == 1
    assert store.load_session(shell(h).services.db) is None
    officer_id = next(o.id for o in api.list_officers() if o.username == OFFICER)
    sup = await start_supervisor(seeded_server.url, tmp_path / "sup")
    await click_key(sup, f"day-{officer_id}")
    await wait_until(sup, lambda: by_key(sup, "unlock-officer") is not None, what="lockout shown")
    assert any("Đang bị khóa đăng nhập đến" in t for t in sup.texts())
    await click_key(sup, "unlock-officer")
    await wait_until(sup, lambda: any("Đã mở khóa đăng nhập" in t for t in sup.texts()), what="lifted")
    await wait_until(sup, lambda: any("Không bị khóa đăng nhập" in t for t in sup.texts()), what="reloaded")

    await login(h, OFFICER, PASSWORD, wait_sync=True)
    device = store.device_id(shell(h).services.db)
    # the phone now shows on the supervisor's screen (opened again), and is revoked from there
    shell(sup).go("sup_officer", officer_id=officer_id)
    await wait_until(sup, lambda: by_key(sup, f"revoke-{device}") is not None, what="device listed")
    await click_key(sup, f"revoke-{device}")
    await wait_until(sup, lambda: any(f"Đã thu hồi thiết bị {device}." in t for t in sup.texts()),
                     what="revoked")
    # the phone's next sync is refused with the server's reason; its data stays
    report = await shell(h).services.sync.sync_now()
    assert report is not None and report.auth_required and "thu hồi" in report.auth_error
    assert shell(h).services.sync.state.last_error and "thu hồi" in shell(h).services.sync.state.last_error


async def test_supervisor_disables_and_enables_an_officer(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "officer")
    await login(h, OFFICER, PASSWORD, wait_sync=True)
    api = sup_api(seeded_server.url)
    officer_id = next(o.id for o in api.list_officers() if o.username == OFFICER)
    sup = await start_supervisor(seeded_server.url, tmp_path / "sup")
    await click_key(sup, f"day-{officer_id}")
    await wait_until(sup, lambda: by_key(sup, "disable-officer") is not None, what="disable button")
    await click_key(sup, "disable-officer")
    await wait_until(sup, lambda: by_key(sup, "disable-confirm") is not None, what="confirmation")
    assert any("Mọi phiên đăng nhập kết thúc ngay" in t for t in sup.texts())
    await click_key(sup, "disable-confirm")
    await wait_until(sup, lambda: by_key(sup, "enable-officer") is not None, what="disabled")
    assert not api.officer_lockout(officer_id).active
    # the officer's phone is refused at its next sync, saying why
    report = await shell(h).services.sync.sync_now()
    assert report is not None and report.auth_required and "vô hiệu hóa" in report.auth_error
    await click_key(sup, "enable-officer")
    await wait_until(sup, lambda: any("Đã kích hoạt lại tài khoản." in t for t in sup.texts()),
                     what="enabled")
    assert api.officer_lockout(officer_id).active
    disabled = api.audit_log(officer_id=officer_id, event="officer_disabled")
    assert [e.target_officer_id for e in disabled] == [officer_id]
