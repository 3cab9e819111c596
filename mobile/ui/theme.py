"""High-contrast theme readable in sunlight, the shipped DejaVu font, 48 px touch targets."""

from __future__ import annotations

import flet as ft

FONT = "DejaVu"
FONTS = {FONT: "fonts/DejaVuSans.ttf", f"{FONT} Bold": "fonts/DejaVuSans-Bold.ttf"}
TOUCH = 48  # minimum touch target (Material guidance); gloves and moving boats on the Hậu river

PRIMARY = "#0B3D91"  # dark blue on white: contrast ratio > 10:1
DANGER = "#B00020"
OK = "#1B5E20"
WARN = "#8A4B00"
MUTED = "#333333"


def apply_theme(page: ft.Page) -> None:
    """Fonts, colours and density for the whole page."""
    page.fonts = dict(FONTS)
    page.theme_mode = ft.ThemeMode.LIGHT
    page.theme = ft.Theme(
        font_family=FONT,
        color_scheme_seed=PRIMARY,
        color_scheme=ft.ColorScheme(
            primary=PRIMARY,
            on_primary=ft.Colors.WHITE,
            error=DANGER,
            surface=ft.Colors.WHITE,
            on_surface=ft.Colors.BLACK,
        ),
        visual_density=ft.VisualDensity.STANDARD,
    )
    page.bgcolor = ft.Colors.WHITE
    page.padding = 0


def big_button(
    text: str,
    on_click=None,
    *,
    primary: bool = True,
    key: str | None = None,
    disabled: bool = False,
    icon=None,
    **kw,
) -> ft.Control:
    """A button at least 48 px high (filled for the main action, outlined otherwise)."""
    cls = ft.FilledButton if primary else ft.OutlinedButton
    return cls(content=text, on_click=on_click, height=TOUCH, disabled=disabled, icon=icon, key=key, **kw)


def icon_button(icon, label: str, on_click=None, *, key: str | None = None, color=None, **kw) -> ft.Control:
    """A 48 px icon button named twice: a tooltip for sighted users, a Semantics label for screen
    readers (an icon alone says nothing to either).

    In the web client an IconButton's tooltip names a wrapper node, not the button itself; so the
    Semantics node is the one named button (its own tap action for screen readers) and hides the
    unnamed inner one (checked in Chromium: one role=button with the label, clicks still work)."""
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=on_click,
        content=ft.IconButton(
            icon, tooltip=label, icon_color=color, width=TOUCH, height=TOUCH, on_click=on_click, key=key, **kw
        ),
    )


def error_text(value: str = "") -> ft.Text:
    """A red message line (hidden while empty)."""
    return ft.Text(value, color=DANGER, weight=ft.FontWeight.BOLD, visible=bool(value))


def title(text: str) -> ft.Text:
    """A screen heading."""
    return ft.Text(text, size=20, weight=ft.FontWeight.BOLD, color=PRIMARY)


def document_label(doc, t, en: bool = False) -> str:
    """A checklist line: the name plus '(chỉ xuất trình)' / '(không bắt buộc)' when the name lacks it."""
    name = (doc.name_en or doc.name) if en else doc.name
    if doc.shown_only:
        shown = "shown" if en else "xuất trình"
        return name if shown in name else f"{name} ({t('shown_only')})"
    return name if doc.required else f"{name} ({t('optional')})"


def back_button(t, on_click) -> ft.Control:
    """The outlined 'Quay lại' button at the top of a screen."""
    return big_button(t("back"), on_click, primary=False, key="back", icon=ft.Icons.ARROW_BACK)


def link_button(
    text: str, url: str, key: str, *, icon=ft.Icons.PICTURE_AS_PDF, primary: bool = False
) -> ft.Control:
    """A 48 px button that opens a URL (a PDF the app serves)."""
    return big_button(text, primary=primary, key=key, icon=icon, url=url)


def document_link(t, label: str, url: str | None, path: object, key: str) -> ft.Control:
    """A saved document: its download button in web mode, else where it was saved on the phone."""
    if url:
        return link_button(label, url, key, icon=ft.Icons.DOWNLOAD, primary=True)
    return ft.Text(t("pdf_saved", path=str(path)), size=12, selectable=True, key=key)
