"""Congratulation / condolence letters handed with a result, rendered from JSON templates.

Templates live in assets/letters/<kind>.json (title, greeting, paragraphs, closing lines) with
`{placeholder}` fields; unknown placeholders render empty rather than failing at the door.
The same function runs on the phone (offline) and on the server (GET /dossiers/{id}/letter.pdf).
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .pdf import FONT_FAMILY, assets_dir, new_pdf, pdf_bytes

LETTER_TITLES = {"congratulation": "Thư chúc mừng", "condolence": "Thư chia buồn"}


class LetterError(ValueError):
    """No template for this letter kind (or the template file is broken)."""


def letter_title(kind: str) -> str:
    """'Thư chúc mừng' for 'congratulation', etc. (the kind itself when unknown)."""
    return LETTER_TITLES.get(kind, kind)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(text: str, values: Mapping[str, Any]) -> str:
    """Replace {placeholders} from `values`; missing ones become empty strings."""
    return string.Formatter().vformat(text, (), _Blank({k: str(v) for k, v in values.items()}))


def load_template(kind: str, directory: Path | None = None) -> dict[str, Any]:
    """The template of a letter kind, from assets/letters/<kind>.json."""
    if kind not in LETTER_TITLES:
        raise LetterError(f"Không có mẫu thư '{kind}' (no letter template)")
    path = (directory or assets_dir() / "letters") / f"{kind}.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LetterError(f"Mẫu thư '{kind}' không đọc được (unreadable template): {exc}") from exc
    return data


def render_letter(kind: str, values: Mapping[str, Any], *, templates: Path | None = None,
                  fonts: Path | None = None) -> bytes:
    """The letter as PDF bytes; values: citizen_names, commune, commune_upper, date parts, officer, …"""
    t = load_template(kind, templates)
    pdf = new_pdf(fonts)
    width = pdf.epw
    pdf.set_font(FONT_FAMILY, "B", 11)
    for line in t.get("header", []):
        pdf.multi_cell(width, 6, fill(line, values), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(width, 10, fill(t["title"], values), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.multi_cell(width, 7, fill(t.get("greeting", ""), values), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 12)
    for paragraph in t.get("paragraphs", []):
        pdf.multi_cell(width, 7, fill(paragraph, values), align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    for line in t.get("closing", []):
        pdf.multi_cell(width, 7, fill(line, values), align="R", new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)
