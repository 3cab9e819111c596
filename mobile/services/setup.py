"""The phone's first-run setup: which server it talks to, kept in its store (no environment variables)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import sqlite_utils

from api_client.client import Client
from api_client.errors import APIConnectionError, APIStatusError
from api_client.retry import RetryPolicy
from mobile import qr_reader, store
from mobile.provisioning import Provisioning, ProvisioningError, parse_provisioning
from mobile.store import settings

log = logging.getLogger(__name__)


def probe_client(base_url: str) -> Client:
    """A client for the one setup check: short timeout, no retry (the officer is waiting)."""
    return Client(base_url, None, timeout=8.0, retry=RetryPolicy.none())


class SetupError(Exception):
    """The server address cannot be used; `code` picks the message (see i18n `setup_err_*`).

    Codes: the ProvisioningError codes, plus unreachable, not_doorstep, unsynced, logged_in.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


class SetupService:
    """Reads and changes this device's server address (and the unit it was provisioned for)."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        preset_url: str | None = None,
        on_changed: Callable[[str], None] | None = None,
        client_factory: Callable[[str], Client] = probe_client,
    ) -> None:
        self.db = db
        self.preset_url = preset_url  # web mode: the server passes its own address in code
        self.on_changed = on_changed
        self._client_factory = client_factory

    def server_url(self) -> str | None:
        """The address this phone talks to: the preset one (web mode) or the one set at first run."""
        return self.preset_url or settings.get_setting(self.db, settings.SERVER_URL)

    def provisioned_unit(self) -> str | None:
        """The unit code read from the supervisor's provisioning QR, if any."""
        return settings.get_setting(self.db, settings.PROVISIONED_UNIT)

    def needs_setup(self) -> bool:
        """True until a server address is known: the first-run screen comes before the login."""
        return not self.server_url()

    def can_change(self) -> bool:
        """Changing server is offered only when a preset does not fix it."""
        return self.preset_url is None

    @staticmethod
    def qr_available() -> bool:
        """Whether a photo of the provisioning QR can be decoded here (zxing-cpp: web mode)."""
        return qr_reader.available()

    @staticmethod
    async def read_qr(raw: bytes) -> str | None:
        """The provisioning text found in a photo (off the event loop), or None."""
        texts = await asyncio.to_thread(qr_reader.decode_qr, raw)
        provisioning = [t for t in texts if t.lower().startswith("doorstep:")]
        found = provisioning or texts
        return found[0] if found else None

    @staticmethod
    def parse(text: str) -> Provisioning:
        """A typed address or a provisioning QR's text; SetupError with a code when neither."""
        try:
            return parse_provisioning(text)
        except ProvisioningError as exc:
            raise SetupError(exc.code, exc.detail) from exc

    async def check(self, server: str) -> None:
        """Ask the server's /health (off the event loop); SetupError when it is not a Doorstep server."""

        def call() -> dict:
            with self._client_factory(server) as api:
                return api.health()

        try:
            health = await asyncio.to_thread(call)
        except APIConnectionError as exc:
            raise SetupError("unreachable", str(exc)) from exc
        except APIStatusError as exc:
            raise SetupError("not_doorstep", exc.detail or str(exc)) from exc
        except ValueError as exc:  # an HTML page or other non-JSON answer
            raise SetupError("not_doorstep", str(exc)) from exc
        if not isinstance(health, dict) or health.get("status") != "ok":
            raise SetupError("not_doorstep", str(health)[:100])

    async def apply(self, text: str) -> Provisioning:
        """Validate, reach the server, then keep the address (and unit) in the store."""
        if not self.can_change():
            raise SetupError("preset")
        prov = self.parse(text)
        await self.check(prov.server)
        current = self.server_url()
        if current and current != prov.server:
            # another server: nothing of this one may leak into it, and nothing unsent may be lost
            if store.load_session(self.db) is not None:
                raise SetupError("logged_in")
            if store.pending_counts(self.db)["total"]:
                raise SetupError("unsynced")
            store.wipe_personal_data(self.db)
            with store.transaction(self.db):
                self.db.execute("DELETE FROM unit_settings")
                self.db.execute("DELETE FROM units")
                self.db.execute("DELETE FROM catalogues")
        settings.set_setting(self.db, settings.SERVER_URL, prov.server)
        settings.set_setting(self.db, settings.PROVISIONED_UNIT, prov.unit)
        log.info("server address set to %s (unit %s)", prov.server, prov.unit)
        if self.on_changed:
            self.on_changed(prov.server)
        return prov
