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


NATIONAL_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def slip_heading(pdf: Any, unit_name: str, title: str, dossier_code: str) -> None:
    """The heading of a slip handed over at the door: unit, national motto, title, dossier code."""
    w = pdf.epw
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(w, 6, unit_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(w, 5, NATIONAL_MOTTO, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "B", 14)
    pdf.multi_cell(w, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(w, 6, f"Mã hồ sơ: {dossier_code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def signature_blocks(pdf: Any, blocks: list[tuple[str, str, bytes | None]], image_h: float = 20.0,
                     font_size: float = 8.5) -> None:
    """Side-by-side signature blocks (title, signature image or blank space, name) across the page."""
    import io

    n = max(1, len(blocks))
    width = pdf.epw / n
    if pdf.get_y() + image_h + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    left = pdf.l_margin
    pdf.set_font(FONT_FAMILY, "B", font_size)
    pdf.set_x(left)
    for i, (heading, _, _) in enumerate(blocks):
        last = i == n - 1
        pdf.cell(width, 5, heading, align="C", new_x="LMARGIN" if last else "RIGHT",
                 new_y="NEXT" if last else "TOP")
    top = pdf.get_y() + 1
    for i, (_, _, png) in enumerate(blocks):
        if png:
            # keep the pad's aspect ratio inside the block's box, centred
            pdf.image(io.BytesIO(png), x=left + i * width + 2, y=top, w=width - 4, h=image_h,
                      keep_aspect_ratio=True)
    pdf.set_y(top + image_h + 1)
    pdf.set_font(FONT_FAMILY, "", font_size - 0.5)
    for i, (_, name, _) in enumerate(blocks):
        last = i == n - 1
        pdf.cell(width, 5, name, align="C", new_x="LMARGIN" if last else "RIGHT",
                 new_y="NEXT" if last else "TOP")
