"""Draw the app's icon and splash PNGs into assets/ (run once after a design change; output is committed).

The mark is a house whose door is a document: the one-stop desk at the citizen's door, in the
app's dark blue (mobile/ui/theme.py PRIMARY) on white, readable at launcher size.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (0x0B, 0x3D, 0x91, 255)
WHITE = (255, 255, 255, 255)
GOLD = (0xF2, 0xB7, 0x05, 255)
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def draw_mark(size: int, background: tuple[int, int, int, int] | None) -> Image.Image:
    """The house + document mark on a square canvas (transparent when background is None)."""
    scale = 4  # draw large, then downsample: smooth edges without an anti-aliasing API
    s = size * scale
    img = Image.new("RGBA", (s, s), background or (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 100  # one unit = 1% of the side

    def box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * u, y0 * u, x1 * u, y1 * u]

    # roof and walls
    d.polygon([(50 * u, 14 * u), (88 * u, 46 * u), (12 * u, 46 * u)], fill=BLUE)
    d.rectangle(box(21, 44, 79, 86), fill=BLUE)
    # the door is a sheet of paper with a folded corner and text lines
    d.polygon([(37 * u, 52 * u), (56 * u, 52 * u), (63 * u, 59 * u), (63 * u, 86 * u), (37 * u, 86 * u)],
              fill=WHITE)
    d.polygon([(56 * u, 52 * u), (63 * u, 59 * u), (56 * u, 59 * u)], fill=GOLD)
    for y in (64, 70, 76):
        d.rounded_rectangle(box(41, y, 59, y + 2.6), radius=1.3 * u, fill=BLUE)
    # a check mark on the roof's gable: the dossier was received
    d.line([(43 * u, 34 * u), (48 * u, 39 * u), (58 * u, 28 * u)], fill=GOLD, width=int(4 * u),
           joint="curve")
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    """Write assets/icon.png (1024², transparent) and assets/splash.png (512², transparent)."""
    ASSETS.mkdir(exist_ok=True)
    draw_mark(1024, None).save(ASSETS / "icon.png", optimize=True)
    draw_mark(512, None).save(ASSETS / "splash.png", optimize=True)


if __name__ == "__main__":
    main()
