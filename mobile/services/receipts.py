"""Receipt PDFs kept in the device's data folder, each under an unguessable file name."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mobile.receipt import ReceiptData, qr_base64, receipt_pdf

# PDFs, plus the supervisor's exports (tracks, indicator tables) served the same way
DOC_TYPES = ("pdf", "geojson", "gpx", "csv", "xlsx")
SAFE_NAME = re.compile(r"^[0-9]+-[0-9a-f]{16}\.(pdf|geojson|gpx|csv|xlsx)$")


@dataclass(frozen=True)
class ReceiptInfo:
    """A saved receipt: where it is, how to download it in a browser, and its QR for the screen."""

    visit_id: int
    dossier_code: str
    path: Path
    url: str | None
    qr_b64: str
    appointment: str
    lookup: str


@dataclass(frozen=True)
class ServedFile:
    """A file web mode may serve, with what the access check needs: its owner and index key."""

    path: Path
    key: str
    code: str
    officer_id: int | None  # None for files written before owners were recorded
    lookup_token: str | None = None  # the dossier's citizen lookup token, kept with its receipt

    @property
    def is_receipt(self) -> bool:
        """Receipts are keyed by their visit id (letters, logs and exports by 'kind:id')."""
        return self.key.isdigit()


class ReceiptStore:
    """receipts/<visit>-<random>.pdf plus an index.json; web mode serves them by URL.

    `sign(file name)` returns a download ticket for the signed-in officer (None when nobody is:
    then no URL is offered); `owner()` is the officer recorded as the owner of a new file."""

    def __init__(
        self,
        folder: Path,
        url_prefix: str | None = None,
        sign: Callable[[str], str | None] | None = None,
        owner: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.folder = folder
        self.url_prefix = url_prefix  # e.g. "/receipts/<device id>" in web mode; None on a phone
        self.sign = sign
        self.owner = owner

    def _index(self) -> dict[str, dict]:
        try:
            return json.loads((self.folder / "index.json").read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _write(self, key: str, owner_id: int, content: bytes, ext: str, code: str, appointment: str,
               lookup: str = "", lookup_token: str | None = None) -> None:
        """Write `content` under a fresh random name, point `key` at it and drop the file it replaces."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{owner_id}-{secrets.token_hex(8)}.{ext}"
        (self.folder / name).write_bytes(content)
        index = self._index()
        old = index.get(key)
        if old and SAFE_NAME.match(old.get("file", "")):
            (self.folder / old["file"]).unlink(missing_ok=True)
        index[key] = {"file": name, "code": code, "appointment": appointment, "lookup": lookup,
                      "officer_id": self.owner()}
        if lookup_token:
            index[key]["lookup_token"] = lookup_token
        tmp = self.folder / "index.json.tmp"
        tmp.write_text(json.dumps(index, ensure_ascii=False))
        tmp.replace(self.folder / "index.json")

    def _entry(self, key: str) -> tuple[dict, Path, str | None] | None:
        """The index entry of `key`, its file and its URL, or None when missing or unsafe."""
        entry = self._index().get(key)
        if not entry or not SAFE_NAME.match(entry.get("file", "")):
            return None
        path = self.folder / entry["file"]
        if not path.exists():
            return None
        return entry, path, self._url(entry["file"])

    def _url(self, name: str) -> str | None:
        """The download link with a fresh ticket; None on a phone or with nobody signed in."""
        if not self.url_prefix:
            return None
        ticket = self.sign(name) if self.sign else None
        return f"{self.url_prefix}/{name}?t={ticket}" if ticket else None

    def save(self, visit_id: int, data: ReceiptData, lookup_token: str | None = None) -> ReceiptInfo:
        """Render and store the PDF for a visit (replacing an older one); `lookup_token`, the
        dossier's citizen lookup token, lets the citizen download this receipt with it."""
        self._write(str(visit_id), visit_id, receipt_pdf(data), "pdf", data.dossier_code, data.appointment_at,
                    data.lookup, lookup_token)
        info = self.get(visit_id)
        assert info is not None  # just written
        return info

    def get(self, visit_id: int) -> ReceiptInfo | None:
        """The stored receipt of a visit, or None."""
        found = self._entry(str(visit_id))
        if not found:
            return None
        entry, path, url = found
        lookup = entry.get("lookup", "")  # slips saved before lookup tokens have none
        return ReceiptInfo(visit_id, entry["code"], path, url, qr_base64(lookup) if lookup else "",
                           entry.get("appointment", ""), lookup)

    def save_document(self, key: str, owner_id: int, pdf: bytes, code: str, ext: str = "pdf") -> ReceiptInfo:
        """Store another file (letter, tracking log, export) under `key`, served like receipts."""
        if ext not in DOC_TYPES:
            raise ValueError(ext)
        self._write(key, owner_id, pdf, ext, code, "")
        info = self.get_document(key, owner_id)
        assert info is not None  # just written
        return info

    def get_document(self, key: str, owner_id: int) -> ReceiptInfo | None:
        """A PDF stored with save_document, or None."""
        found = self._entry(key)
        if not found:
            return None
        entry, path, url = found
        return ReceiptInfo(owner_id, entry["code"], path, url, "", "", "")

    def url(self, visit_id: int) -> str | None:
        """Download URL (web) of a visit's receipt, or None."""
        info = self.get(visit_id)
        return info.url if info else None


def serve_path(data_dir: Path, device_id: str, name: str) -> ServedFile | None:
    """The file for /receipts/<device>/<name>, or None when the request is malformed or unknown."""
    if not re.fullmatch(r"[0-9a-f]{32}", device_id) or not SAFE_NAME.match(name):
        return None
    folder = data_dir / device_id / "receipts"
    path = folder / name
    if not path.is_file():
        return None
    for key, entry in ReceiptStore(folder)._index().items():
        if entry.get("file") == name:
            owner = entry.get("officer_id")
            return ServedFile(
                path,
                key,
                entry.get("code", ""),
                owner if isinstance(owner, int) else None,
                entry.get("lookup_token") or None,
            )
    return None  # a file the index forgot is served to nobody
