"""Photo shrinking: upright, 1600 px long edge, small, no metadata."""

from __future__ import annotations

import io
import random

from PIL import Image

from mobile.media import resize_photo, sha256_hex


def _noisy_jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    rng = random.Random(7)
    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make: device data that must not leave the phone
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def test_resize_4000x3000_to_1600_long_edge_and_much_smaller() -> None:
    original = _noisy_jpeg(4000, 3000)
    small = resize_photo(original)
    with Image.open(io.BytesIO(small)) as img:
        assert img.format == "JPEG"
        assert img.size == (1600, 1200)
        assert not img.getexif()  # metadata stripped
    assert len(small) < len(original) / 5


def test_exif_rotation_is_baked_in() -> None:
    # Orientation 6: stored landscape, shown portrait (rotate 90 degrees clockwise).
    small = resize_photo(_noisy_jpeg(400, 300, orientation=6))
    with Image.open(io.BytesIO(small)) as img:
        assert img.size == (300, 400)
        assert 0x0112 not in img.getexif()


def test_small_photo_is_not_enlarged_and_sha_is_stable() -> None:
    data = _noisy_jpeg(200, 100)
    with Image.open(io.BytesIO(resize_photo(data))) as img:
        assert img.size == (200, 100)
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
