"""Read the dossier code from a photo of the receipt slip's QR code (zxing-cpp when installed).

zxing-cpp ships binary wheels for desktop/server Python (web mode); a phone build without it
still works: `available()` is False and the officer types the code.
"""

from __future__ import annotations

import io
import logging
import re
from urllib.parse import parse_qs, unquote, urlparse

from PIL import Image, ImageOps

log = logging.getLogger(__name__)

CODE_RE = re.compile(r"[0-9A-Za-z.]+-\d{6}-\d{4}")


def available() -> bool:
    """True when a QR decoder is installed."""
    try:
        import zxingcpp  # noqa: F401
    except ImportError:
        return False
    return True


def decode_qr(raw: bytes) -> list[str]:
    """Every QR/barcode text found in an image (empty when none, unreadable, or no decoder)."""
    try:
        import zxingcpp
    except ImportError:
        return []
    try:
        img = ImageOps.exif_transpose(Image.open(io.BytesIO(raw))).convert("L")
    except Exception:  # noqa: BLE001 - Pillow raises many types for a bad file
        log.info("not an image: QR not read", exc_info=True)
        return []
    if max(img.size) > 2000:  # phone photos: smaller is faster and decodes as well
        img.thumbnail((2000, 2000))
    return [r.text for r in zxingcpp.read_barcodes(img) if r.text]


def token_from_text(text: str) -> str | None:
    """The lookup token in a QR text (the slip's `…/tra-cuu?t=<token>`), or None."""
    text = (text or "").strip()
    if not text.startswith(("http://", "https://")):
        return None
    values = parse_qs(urlparse(text).query).get("t")
    return values[0].strip() if values else None


def code_from_text(text: str) -> str:
    """The dossier code in a QR text: the slip's lookup URL (?ma=...) or the bare code."""
    text = (text or "").strip()
    if text.startswith(("http://", "https://")):
        params = parse_qs(urlparse(text).query)
        if params.get("ma"):
            return unquote(params["ma"][0]).strip()
    m = CODE_RE.search(text)
    return m.group(0) if m else text
