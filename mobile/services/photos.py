"""Photos of documents: the file picker (browser) or the phone's picker/camera, then resized."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import flet as ft


class PhotoService(Protocol):
    """What the pickup flow needs: raw image bytes the officer chose, or None when cancelled."""

    async def pick(self) -> bytes | None:
        """Let the officer take or choose one photo."""
        ...


class FilePickerPhotoService:
    """ft.FilePicker: in a browser a hidden <input type=file>, on a phone the system picker/camera."""

    def __init__(self) -> None:
        self._picker: ft.FilePicker | None = None

    async def pick(self) -> bytes | None:
        """Open the picker; bytes come inline in the browser and from the path on a phone."""
        if self._picker is None:
            self._picker = ft.FilePicker()  # registers itself with the current page
        files = await self._picker.pick_files(
            file_type=ft.FilePickerFileType.IMAGE,
            with_data=True,
            allow_multiple=False,
            cancel_upload_on_window_blur=False,
        )
        if not files:
            return None
        f = files[0]
        if f.bytes:
            return bytes(f.bytes)
        if f.path:
            return Path(f.path).read_bytes()
        return None


class BytesPhotoService:
    """Answers with prepared bytes: for tests and demos without a camera."""

    def __init__(self, *photos: bytes) -> None:
        self._photos = list(photos)
        self.calls = 0

    async def pick(self) -> bytes | None:
        """Next prepared photo (the last one repeats), or None when there are none."""
        self.calls += 1
        if not self._photos:
            return None
        return self._photos.pop(0) if len(self._photos) > 1 else self._photos[0]
