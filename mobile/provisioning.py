"""The provisioning text a supervisor's screen shows (as QR and as text) and a new phone reads.

Format (one line, what the QR encodes):

    doorstep://provision?v=1&server=<URL-encoded server address>&unit=<URL-encoded unit code>

e.g. `doorstep://provision?v=1&server=https%3A%2F%2Fmotcua.example.vn&unit=000.21.01.H01`.
`unit` is optional. A phone also accepts a bare server address typed by hand
(`https://motcua.example.vn`, or `192.168.1.20:8000`, which means http://).
The server address is where the API lives without `/api/v1` (the client adds it).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

PREFIX = "doorstep://provision"
VERSION = "1"
UNIT_RE = re.compile(r"[0-9A-Za-z.\-]{1,40}")
HOST_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-.]{0,251}[A-Za-z0-9])?")


class ProvisioningError(ValueError):
    """The text is not a usable server address or provisioning code; `code` names the problem.

    Codes: empty, bad_scheme, no_host, bad_host, bad_port, has_query, bad_payload, bad_unit.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Provisioning:
    """What a phone needs before its first login: the server address, and the unit it serves."""

    server: str
    unit: str | None = None


def normalise_server_url(text: str) -> str:
    """A server address as `scheme://host[:port][/path]` without a trailing slash or `/api/v1`."""
    raw = (text or "").strip()
    if not raw:
        raise ProvisioningError("empty")
    if "://" not in raw:
        raw = "http://" + raw  # a typed LAN address such as 192.168.1.20:8000
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https"):
        raise ProvisioningError("bad_scheme", parts.scheme)
    host = parts.hostname or ""
    if not host:
        raise ProvisioningError("no_host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not HOST_RE.fullmatch(host) or ".." in host:
            raise ProvisioningError("bad_host", host) from None
    try:
        port = parts.port
    except ValueError:
        raise ProvisioningError("bad_port") from None
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ProvisioningError("has_query")
    path = parts.path.rstrip("/")
    if path.endswith("/api/v1"):
        path = path[: -len("/api/v1")]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{parts.scheme.lower()}://{netloc.lower()}{path}"


def provisioning_text(server: str, unit: str | None = None) -> str:
    """The text of the provisioning QR for a server address and, optionally, a unit code."""
    text = f"{PREFIX}?v={VERSION}&server={quote(normalise_server_url(server), safe='')}"
    if unit:
        text += f"&unit={quote(unit, safe='')}"
    return text


def parse_provisioning(text: str) -> Provisioning:
    """A provisioning QR's text, or a bare server address, as a Provisioning; ProvisioningError if neither."""
    raw = (text or "").strip()
    if not raw:
        raise ProvisioningError("empty")
    if raw.lower().startswith("doorstep:"):
        if not raw.lower().startswith(PREFIX):
            raise ProvisioningError("bad_payload")
        params = parse_qs(urlsplit(raw).query)
        servers = params.get("server") or []
        if len(servers) != 1:
            raise ProvisioningError("bad_payload", "server")
        units = params.get("unit") or []
        unit = units[0].strip() if units else None
        if unit is not None and not UNIT_RE.fullmatch(unit):
            raise ProvisioningError("bad_unit", unit[:40])
        return Provisioning(normalise_server_url(servers[0]), unit or None)
    return Provisioning(normalise_server_url(raw))
