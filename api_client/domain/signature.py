"""Compact signature strokes: integer-delta encoding, well under 1 KB for a real signature.

Wire form: strokes separated by ';', each 'x0,y0 dx,dy dx,dy ...' in integer pixels of the
pad. A stroke of 60 points costs ~300 bytes instead of ~1.5 KB of JSON floats.
"""

from __future__ import annotations

Point = tuple[float, float]


def encode_strokes(strokes: list[list[Point]]) -> str:
    """Integer-delta encode strokes (empty strokes are dropped)."""
    parts = []
    for stroke in strokes:
        if not stroke:
            continue
        px, py = round(stroke[0][0]), round(stroke[0][1])
        items = [f"{px},{py}"]
        for x, y in stroke[1:]:
            ix, iy = round(x), round(y)
            if (ix, iy) == (px, py):
                continue  # a repeated point adds nothing to the drawing
            items.append(f"{ix - px},{iy - py}")
            px, py = ix, iy
        parts.append(" ".join(items))
    return ";".join(parts)


def decode_strokes(data: str) -> list[list[tuple[int, int]]]:
    """Inverse of encode_strokes; raises ValueError on malformed input."""
    strokes: list[list[tuple[int, int]]] = []
    for part in filter(None, (data or "").split(";")):
        pts: list[tuple[int, int]] = []
        for i, item in enumerate(part.split()):
            sx, sy = item.split(",")
            x, y = int(sx), int(sy)
            if i:
                x, y = pts[-1][0] + x, pts[-1][1] + y
            pts.append((x, y))
        strokes.append(pts)
    return strokes


def ink_length(strokes: list[list[tuple[int, int]]]) -> float:
    """Total drawn length in pad pixels: a cheap test against empty or trivial signatures."""
    total = 0.0
    for s in strokes:
        for (x0, y0), (x1, y1) in zip(s, s[1:]):
            total += ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    return total


MIN_INK_PX = 60.0  # a dot or a tiny tick is not a signature
MIN_POINTS = 8


SIGNATURE_PROBLEMS = {
    "sig_malformed": "Chữ ký bị lỗi định dạng",
    "sig_empty": "Chưa có chữ ký",
    "sig_short": "Chữ ký quá ngắn, vui lòng ký lại",
}


def signature_problem_code(data: str) -> str | None:
    """Why a signature is unacceptable as a code (SIGNATURE_PROBLEMS), or None when it is fine."""
    try:
        strokes = decode_strokes(data)
    except ValueError:
        return "sig_malformed"
    if not strokes:
        return "sig_empty"
    if sum(len(s) for s in strokes) < MIN_POINTS or ink_length(strokes) < MIN_INK_PX:
        return "sig_short"
    return None


def signature_problem(data: str) -> str | None:
    """Why a signature is unacceptable (Vietnamese), or None when it is fine."""
    code = signature_problem_code(data)
    return SIGNATURE_PROBLEMS[code] if code else None
