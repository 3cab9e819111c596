"""The captured signature strokes drawn as a PNG, to print in the signature block of a PDF."""

from __future__ import annotations

import io

from api_client.domain.signature import decode_strokes


def signature_png(encoded: str, width: int, height: int, *, scale: int = 2, ink: int = 3) -> bytes | None:
    """PNG bytes of the strokes on a white pad of width x height (pad pixels), or None when blank.

    Pillow is imported lazily (only PDF rendering pays for it); a malformed encoding draws nothing."""
    try:
        strokes = decode_strokes(encoded or "")
    except ValueError:
        return None
    strokes = [s for s in strokes if s]
    if not strokes or width <= 0 or height <= 0:
        return None
    from PIL import Image, ImageDraw

    img = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(img)
    for stroke in strokes:
        points = [(x * scale, y * scale) for x, y in stroke]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - ink, y - ink, x + ink, y + ink), fill=0)
        else:
            draw.line(points, fill=0, width=ink * scale, joint="curve")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
