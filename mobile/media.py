"""Photos for the field: shrink before storing so they upload on a rural 3G link."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageOps

LONG_EDGE_PX = 1600  # documents stay readable; a photo drops from ~4 MB to ~250 KB
JPEG_QUALITY = 65


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of bytes (the blob id on the wire)."""
    return hashlib.sha256(data).hexdigest()


def resize_photo(data: bytes, *, long_edge: int = LONG_EDGE_PX, quality: int = JPEG_QUALITY) -> bytes:
    """Re-encode a photo as JPEG: EXIF-rotated upright, long edge at most `long_edge`, no metadata."""
    with Image.open(io.BytesIO(data)) as img:
        # Phones store portrait shots sideways plus an EXIF flag; bake the rotation in,
        # because the flag (with GPS and device data) is stripped below.
        upright = ImageOps.exif_transpose(img) or img
        rgb = upright.convert("RGB")
        rgb.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # No exif/icc arguments: Pillow writes none, so location and device data never leave.
        rgb.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
        return out.getvalue()
