"""A4 PDF pages with the DejaVu fonts (full Vietnamese coverage); fpdf2 is imported only when called.

api_client must stay light for the phone: importing this module costs nothing until a PDF is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_FAMILY = "DejaVu"


def assets_dir() -> Path:
    """The repository's assets/ (fonts, letter templates), next to the api_client package."""
    return Path(__file__).resolve().parents[2] / "assets"


def new_pdf(fonts: Path | None = None) -> Any:
    """An FPDF document, A4 portrait, one page added, DejaVu regular + bold registered and selected."""
    from fpdf import FPDF  # lazy: only PDF rendering pays for fpdf2

    font_dir = fonts or assets_dir() / "fonts"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT_FAMILY, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(font_dir / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "", 11)
    return pdf


def pdf_bytes(pdf: Any) -> bytes:
    """The finished document as bytes."""
    return bytes(pdf.output())
