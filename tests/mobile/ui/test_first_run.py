"""The first-run screen of an installed phone: the server address typed or from the provisioning QR."""

from __future__ import annotations

from uikit import click_key, joined, login, shell, start_app, type_key

from mobile import store
from mobile.provisioning import provisioning_text
from mobile.store import settings

DEAD_URL = "http://127.0.0.1:9"  # nothing listens on the discard port


async def test_first_run_sets_the_server_then_logs_in(tmp_path, seeded_server):
    h = await start_app(None, tmp_path / "phone")  # no preset: an installed phone
    assert "Cài đặt máy chủ" in h.texts()
    assert h.find_all(key="login-btn") == []
    await click_key(h, "setup-save")
    assert "Vui lòng nhập địa chỉ máy chủ." in h.texts()
    await type_key(h, "setup-url", "ftp://may-chu.vn")
    await click_key(h, "setup-save")
    assert "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://." in h.texts()
    await type_key(h, "setup-url", DEAD_URL)
    await click_key(h, "setup-save")
    assert any("Không kết nối được máy chủ" in t for t in h.texts())
    db = shell(h).services.db
    assert settings.get_setting(db, settings.SERVER_URL) is None  # nothing kept from the bad tries

    # the text of the supervisor's provisioning QR, pasted
    await type_key(h, "setup-url", provisioning_text(seeded_server.url, "000.21.01.H01"))
    await click_key(h, "setup-save")
    assert "Đăng nhập cán bộ" in h.texts(), joined(h)
    assert f"Máy chủ hiện tại: {seeded_server.url}" in h.texts()
    assert "Đơn vị: 000.21.01.H01" in h.texts()
    assert settings.get_setting(db, settings.SERVER_URL) == seeded_server.url
    await login(h)
    assert store.load_session(db).backend_url == seeded_server.url

    # the address stays: the next start goes straight to the route, the store knows the server
    h.page.on_close(None)
    again = await start_app(None, tmp_path / "phone")
    assert "Cài đặt máy chủ" not in again.texts()
    assert shell(again).services.auth.backend_url == seeded_server.url


async def test_server_can_be_changed_from_the_login_screen(tmp_path, seeded_server):
    h = await start_app(None, tmp_path / "phone")
    await type_key(h, "setup-url", seeded_server.url + "/api/v1/")
    await click_key(h, "setup-save")
    await click_key(h, "change-server")
    assert "Cài đặt máy chủ" in h.texts() and f"Máy chủ hiện tại: {seeded_server.url}" in h.texts()
    await click_key(h, "setup-cancel")
    assert "Đăng nhập cán bộ" in h.texts()


async def test_a_preset_server_skips_the_first_run_screen(tmp_path, seeded_server):
    h = await start_app(seeded_server.url, tmp_path / "tab", per_device=True)  # web mode
    assert "Đăng nhập cán bộ" in h.texts() and "Cài đặt máy chủ" not in h.texts()
    assert h.find_all(key="change-server") == []


async def test_phone_provisioned_from_the_supervisors_qr_logs_in(tmp_path, seeded_server):
    from supkit import start_supervisor

    sup = await start_supervisor(seeded_server.url, tmp_path / "sup")
    await click_key(sup, "provision-show")
    text = sup.find(key="provision-text").value
    assert text == provisioning_text(seeded_server.url, "000.21.01.H01")  # the supervisor's commune
    qr_image = sup.find(key="provision-qr").src
    assert isinstance(qr_image, bytes)

    # a new phone photographs the QR (web mode has a decoder: zxing-cpp)
    phone = await start_app(None, tmp_path / "phone", photos=[_as_photo(qr_image)])
    assert shell(phone).services.setup.qr_available()
    await click_key(phone, "setup-scan")
    assert "Đăng nhập cán bộ" in phone.texts(), joined(phone)
    assert "Đơn vị: 000.21.01.H01" in phone.texts()
    await login(phone)  # the demo officer, against the demo server
    assert shell(phone).current[0] == "route"


def _as_photo(png: bytes) -> bytes:
    """The QR as a camera would deliver it: a larger JPEG with a margin."""
    import io

    from PIL import Image

    qr = Image.open(io.BytesIO(png)).convert("RGB")
    photo = Image.new("RGB", (qr.width + 200, qr.height + 200), (245, 245, 240))
    photo.paste(qr, (100, 100))
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


async def test_changing_server_is_refused_while_logged_in(tmp_path, seeded_server, live_server):
    from testkit import make_settings

    from mobile.services.setup import SetupError

    other = live_server(make_settings(tmp_path / "other", None))

    h = await start_app(None, tmp_path / "phone")
    setup = shell(h).services.setup
    await setup.apply(seeded_server.url)
    shell(h).go("login")
    await login(h)
    try:
        await setup.apply(other.url)
    except SetupError as exc:
        assert exc.code == "logged_in"
    else:
        raise AssertionError("a logged-in phone changed server")
    assert setup.server_url() == seeded_server.url


async def test_fee_step_offers_cash_only_when_the_commune_has_no_account(tmp_path, seeded_server):
    from sqlalchemy import update
    from uikit import advance_to, current_step, make_fix, pickup_row

    from backend.db.schema import units

    with seeded_server.engine.begin() as conn:  # An Phú closes its account on the server
        conn.execute(update(units).where(units.c.code == "000.21.01.H01").values(bank_account=None))
    h = await start_app(seeded_server.url, tmp_path / "app")
    await login(h)
    row = pickup_row(h, "chung_thuc_ban_sao")
    assert row.procedure_code == "chung_thuc_ban_sao", "the demo has a certified copy (a fee) to pick up"
    h.location.fix = make_fix(row.lat, row.lon)
    await click_key(h, f"visit-{row.visit_id}")
    await click_key(h, "start-pickup")
    await advance_to(h, 5)
    assert current_step(h) == 5
    assert "Đơn vị chưa có tài khoản nhận chuyển khoản: chỉ thu tiền mặt." in h.texts()
    assert h.find_all(key="pay-transfer") == [] and h.find_all(key="pay-cash")
    assert not any("Quét mã để chuyển khoản" in t for t in h.texts())
