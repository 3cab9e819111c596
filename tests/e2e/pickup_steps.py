"""The pickup flow driven in the browser, shared by the online and offline tests."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from e2ekit import requested_url, sign_pad, wait_text
from flet_pw import click_button, ensure_visible, fill_text_field
from PIL import Image
from playwright.sync_api import Page, expect

from api_client import Client
from api_client.domain.clock import today_vn
from api_client.models import CataloguePublic, CitizenPublic, DossierPublic, Procedure, VisitPublic
from mobile.media import resize_photo
from mobile.ui.theme import document_label

OFFICER, PASSWORD = "canbo.anphu", "doorstep123"
DOCS_SHOTS = (
    "01-login",
    "02b-map",
    "12-offline-pending",
    "02-route",
    "03-detail",
    "05-checklist",
    "06-photos",
    "07-form",
    "09-signature",
    "10-gps",
    "11-receipt",
    "13-handovers",
)


@dataclass
class Target:
    """The visit the test works on, as the server holds it."""

    visit: VisitPublic
    dossier: DossierPublic
    citizen: CitizenPublic
    procedure: Procedure
    catalogue: CataloguePublic


def pick_target(api: Client) -> Target:
    """An open pickup of the demo officer planned for today or earlier, with a located household."""
    today = today_vn().isoformat()
    visits = [
        v for v in api.list_visits(kind="pickup", status="planned", page_size=200) if v.planned_date <= today
    ]
    visits.sort(key=lambda v: (v.planned_date != today, v.id))
    prefer = ("khai_sinh", "chung_thuc_ban_sao", "khai_tu")
    found: list[Target] = []
    for v in visits:
        d = api.get_dossier(v.dossier_id)
        c = api.get_citizen(v.citizen_id)
        if c.lat is None or c.lon is None:
            continue
        cat = api.catalogue(v.catalogue_version)
        proc = cat.procedure(d.procedure_code)
        if proc:
            found.append(Target(v, d, c, proc, cat))
    assert found, "the demo officer has no open pickup"
    found.sort(
        key=lambda t: prefer.index(t.dossier.procedure_code) if t.dossier.procedure_code in prefer else 9
    )
    return found[0]


def make_jpeg(path: Path, color=(210, 190, 170)) -> bytes:
    """A camera-sized JPEG written to `path`."""
    img = Image.new("RGB", (2400, 1800), color)
    for x in range(0, 2400, 37):
        for y in range(0, 1800, 120):
            img.putpixel((x, y), (20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


class Shots:
    """Numbered screenshots into test-artifacts/, the main ones copied to docs/screenshots/."""

    def __init__(self, page: Page, folder: Path, docs: Path | None = None) -> None:
        self.page, self.folder, self.docs = page, folder, docs
        folder.mkdir(parents=True, exist_ok=True)

    docs_shots: tuple[str, ...] = DOCS_SHOTS  # which ones the docs show

    def __call__(self, name: str) -> None:
        self.page.wait_for_timeout(300)
        path = self.folder / f"{name}.png"
        self.page.screenshot(path=str(path))
        if self.docs is not None and name in self.docs_shots:
            self.docs.mkdir(parents=True, exist_ok=True)
            # a palette PNG is a third of the size and looks the same for flat UI colours
            Image.open(path).convert("RGB").quantize(colors=96).save(self.docs / f"{name}.png", optimize=True)


def wait_count(page: Page, text: str, n: int, timeout_ms: int = 20_000) -> None:
    """Wait until `text` occurs at least n times in the accessibility snapshot of the app."""
    deadline = page.evaluate("Date.now()") + timeout_ms
    while True:
        snap = page.locator("flt-semantics-host").aria_snapshot()
        if snap.count(text) >= n:
            return
        if page.evaluate("Date.now()") > deadline:
            raise AssertionError(f"{text!r} x{n} not shown:\n{snap}")
        page.wait_for_timeout(200)


def login(page: Page) -> None:
    """Type the demo officer's credentials."""
    fill_text_field(page, "Tên đăng nhập", OFFICER)
    fill_text_field(page, "Mật khẩu", PASSWORD)
    click_button(page, "Đăng nhập")
    wait_text(page, "Lộ trình hôm nay")


def open_visit(page: Page, t: Target) -> None:
    """Search the route by dossier code and open the visit."""
    fill_text_field(page, "Tìm tên, mã hồ sơ, số CCCD, địa chỉ", t.dossier.code)
    card = page.locator("flt-semantics").filter(has_text=t.dossier.code).last
    expect(card).to_be_attached(timeout=10_000)
    page.wait_for_timeout(300)
    card.click()
    wait_text(page, "Bắt đầu nhận hồ sơ")


def do_pickup(page: Page, t: Target, photo_path: Path, shot: Shots) -> tuple[list[str], dict[str, str]]:
    """Steps 1-8 in the browser; returns the photos' SHA-256 as stored and the form values typed."""
    click_button(page, "Bắt đầu nhận hồ sơ")
    wait_text(page, "Bước 1/8")
    shot("04-identify")
    page.get_by_role("checkbox", name="Tôi đã đối chiếu giấy tờ tùy thân").click()
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 2/8")
    for doc in t.procedure.documents:
        if not doc.required:
            continue
        label = document_label(
            doc, lambda k: {"shown_only": "chỉ xuất trình", "optional": "không bắt buộc"}[k]
        )
        page.get_by_role("checkbox", name=label, exact=True).click()
        page.wait_for_timeout(200)
    shot("05-checklist")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 3/8")
    collected = [d for d in t.procedure.documents if d.required and not d.shown_only]
    for i in range(len(collected)):
        with page.expect_file_chooser(timeout=15_000) as fc:
            page.get_by_role("button", name="Chụp / chọn ảnh", exact=True).nth(i).click()
        fc.value.set_files(str(photo_path))
        wait_count(page, "Đã có ảnh", i + 1)
    shot("06-photos")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 4/8")
    typed: dict[str, str] = {}
    for f in t.procedure.form_fields:
        if not f.required:
            continue
        if f.kind == "choice":
            button = page.get_by_role("button", name=f.choices[0], exact=True).first
            ensure_visible(page, button)
            button.click()
            page.wait_for_timeout(250)
            typed[f.key] = f.choices[0]
            continue
        value = {
            "date": "01/11/2026",
            "citizen_id": t.citizen.id_number,
            "phone": "0912345678",
            "number": "2",
        }.get(f.kind, "Nguyễn Thị Bé Ba")
        fill_text_field(page, f.label, value)
        typed[f.key] = value
    shot("07-form")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 5/8")
    if t.procedure.fee.fee_for(1) > 0:
        click_button(page, "Tiền mặt")
        page.wait_for_timeout(300)
        fill_text_field(page, "Số biên lai", "BL-0001234")
    shot("08-fee")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 6/8")
    sign_pad(page)
    page.get_by_role("checkbox", name="Cán bộ xác nhận đã nhận đủ hồ sơ").click()
    shot("09-signature")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 7/8")
    wait_text(page, "Vị trí đạt yêu cầu", 30_000)
    shot("10-gps")
    click_button(page, "Hoàn tất tiếp nhận")
    wait_text(page, "Đã tiếp nhận hồ sơ. Mã: " + re.escape(t.dossier.code))
    shot("11-receipt")
    sha = hashlib.sha256(resize_photo(photo_path.read_bytes())).hexdigest()
    return [sha], typed


def open_handovers(page: Page) -> None:
    """From the receipt: back to the route, then the labelled 'Bàn giao' tab of the bottom bar."""
    click_button(page, "Về lộ trình")
    wait_text(page, "Lộ trình hôm nay")
    tab = page.get_by_role("tab", name="Bàn giao")
    if tab.count() == 0:
        tab = page.get_by_role("button", name="Bàn giao")
    tab.first.click()
    wait_text(page, "Nhận kết quả từ bộ phận một cửa để đi trả")


def receipt_url(page: Page) -> str:
    """Click 'Tải giấy tiếp nhận (PDF)' and return the URL the browser requested for it."""
    label = "Tải giấy tiếp nhận (PDF)"
    return requested_url(page, lambda: click_button(page, label), "/receipts/", "the download button")


