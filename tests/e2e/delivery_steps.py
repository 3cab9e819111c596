"""The delivery flow driven in the browser: an authorised person, typed code, letter, signature, GPS."""

from __future__ import annotations

import re
from pathlib import Path

from e2ekit import requested_url, sign_pad, wait_text
from flet_pw import click_button, ensure_visible, fill_text_field
from pickup_steps import Shots, wait_count
from playwright.sync_api import Page, expect

DELIVERY_SHOTS = (
    "20-delivery-detail",
    "21-delivery-recipient",
    "22-delivery-receipt-code",
    "23-delivery-letter",
    "24-delivery-signature",
    "25-delivery-gps",
    "26-delivery-done",
    "27-delivery-tracking-log",
)


class DeliveryShots(Shots):
    """Screenshots into test-artifacts/delivery, the delivery steps copied (small) to docs/screenshots/."""

    docs_shots = DELIVERY_SHOTS


def tap(page: Page, label: str) -> None:
    """Click a button after scrolling Flutter's list to it (Playwright's own scroll misses the canvas)."""
    button = page.get_by_role("button", name=label, exact=True)
    button.wait_for(state="attached", timeout=10_000)
    ensure_visible(page, button)
    button.click()


def tick(page: Page, label: str) -> None:
    """Tick a checkbox after scrolling to it."""
    box = page.get_by_role("checkbox", name=label)
    box.wait_for(state="attached", timeout=10_000)
    ensure_visible(page, box)
    box.click()


def fill_field(page: Page, label: str, text: str) -> None:
    """Like flet_pw.fill_text_field, but the label may be merged with a hint Text just above it
    (Flutter joins adjacent texts into the field's accessible name)."""
    box = page.get_by_role("textbox", name=re.compile(re.escape(label) + "$"))
    box.wait_for(state="attached", timeout=10_000)
    ensure_visible(page, box)
    for _ in range(3):
        box.click()
        page.wait_for_timeout(150)
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(text, delay=15)
        page.wait_for_timeout(150)
        if box.input_value(timeout=2000) == text:
            return
    raise AssertionError(f"could not type into {label!r}")


def login_as(page: Page, username: str, password: str) -> None:
    """Type an officer's credentials."""
    fill_text_field(page, "Tên đăng nhập", username)
    fill_text_field(page, "Mật khẩu", password)
    click_button(page, "Đăng nhập")
    wait_text(page, "Lộ trình hôm nay")


def open_delivery_visit(page: Page, dossier_code: str) -> None:
    """Search the route by dossier code and open the visit's detail."""
    fill_text_field(page, "Tìm tên, mã hồ sơ, số CCCD, địa chỉ", dossier_code)
    card = page.locator("flt-semantics").filter(has_text=dossier_code).last
    expect(card).to_be_attached(timeout=20_000)
    page.wait_for_timeout(300)
    card.click()
    wait_text(page, "Bắt đầu trả kết quả")


def do_delivery(page: Page, dossier_code: str, recipient: dict[str, str], paper: Path, shot: Shots) -> None:
    """Steps 1-7 for an authorised recipient of a result that comes with the congratulation letter."""
    tap(page, "Bắt đầu trả kết quả")
    wait_text(page, "Bước 1/7")
    tap(page, "Người được ủy quyền")
    wait_text(page, "Quan hệ với người nộp")
    fill_text_field(page, "Họ và tên người nhận", recipient["name"])
    fill_text_field(page, "Số CCCD (12 số)", recipient["id"])
    fill_text_field(page, "Quan hệ với người nộp (vd: vợ, con)", recipient["relationship"])
    button = page.get_by_role("button", name="Chụp / chọn ảnh", exact=True)
    ensure_visible(page, button)
    with page.expect_file_chooser(timeout=15_000) as fc:
        button.click()
    fc.value.set_files(str(paper))
    wait_count(page, "Đã có ảnh", 1)
    tick(page, "Tôi đã đối chiếu giấy tờ tùy thân")
    shot("21-delivery-recipient")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 2/7")
    fill_field(page, "Mã hồ sơ trên giấy tiếp nhận", dossier_code)
    shot("22-delivery-receipt-code")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 3/7")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 4/7")
    wait_text(page, "Nhớ trao Thư chúc mừng")
    tick(page, "Đã trao Thư chúc mừng")
    shot("23-delivery-letter")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 5/7")
    sign_pad(page)
    tick(page, "Cán bộ xác nhận đã trao kết quả cho người nhận")
    shot("24-delivery-signature")
    click_button(page, "Tiếp tục")
    wait_text(page, "Bước 6/7")
    wait_text(page, "Vị trí đạt yêu cầu", 30_000)
    shot("25-delivery-gps")
    click_button(page, "Hoàn tất trả kết quả")
    wait_text(page, "Đã trả kết quả. Mã: " + re.escape(dossier_code))
    shot("26-delivery-done")


def download_url(page: Page, label: str) -> str:
    """Tap a download button and return the URL the browser requested for the document."""
    return requested_url(page, lambda: tap(page, label), "/receipts/", repr(label))
