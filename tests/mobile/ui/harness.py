"""Client-less test harness for flet 1.0.5 apps.

Runs the app's `main(page)` against a real `flet.messaging.session.Session`
whose Connection records (and msgpack-encodes) every outbound message instead
of sending it to a Flutter client. Events are injected the same way the web
server does it (`session.dispatch_event(control_id, name, data)`), so handlers,
auto-update and the diff/patch serializer all run for real.
"""

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page, context
from flet.messaging.connection import Connection
from flet.messaging.protocol import MessageAction, configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

_encode = configure_encode_object_for_msgpack(BaseControl)


class RecordingConnection(Connection):
    """Fake transport. `method_results` answers client-side invoke_method calls
    (services like Geolocator, Canvas.capture, ...): key = method name,
    value = result or callable(args) -> result, or an Exception to signal an error."""

    def __init__(self, method_results: dict[str, Any] | None = None):
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.messages: list = []
        self.invocations: list[tuple[str, dict]] = []
        self.method_results = method_results or {}
        self.session: Session | None = None

    def send_message(self, message):
        # same encoding as flet_web.fastapi.FletApp.send_message: catches values
        # the real client could not receive AND records the diff snapshots
        msgpack.packb([message.action, message.body], default=_encode)
        self.messages.append(message)
        if message.action == MessageAction.INVOKE_METHOD:
            self._answer(message.body)

    def _answer(self, body):
        self.invocations.append((body.name, body.args))
        if body.name not in self.method_results:
            return  # never answered -> caller awaits forever / until timeout
        res = self.method_results[body.name]
        err = None
        if isinstance(res, Exception):
            res, err = None, str(res)
        elif callable(res):
            res = res(body.args)
        asyncio.get_running_loop().call_soon(
            self.session.handle_invoke_method_results, body.control_id, body.call_id, res, err
        )

    def patches(self):
        return [m for m in self.messages if m.action == MessageAction.PATCH_CONTROL]

    def crashes(self):
        return [m.body for m in self.messages if m.action == MessageAction.SESSION_CRASHED]


class AppHarness:
    def __init__(self, main: Callable, method_results=None, page_props=None):
        self.main = main
        self.conn = RecordingConnection(method_results)
        self.session = Session(self.conn)
        self.conn.session = self.session
        self.page: ft.Page = self.session.page
        for k, v in (page_props or {}).items():  # what the client sends on register
            setattr(self.page, k, v)

    async def start(self):
        """Mimics flet_web FletApp.__on_session_created for a plain (sync/async) main."""
        _context_page.set(self.page)
        # page.run_task() schedules on the connection's loop (the web server sets it)
        self.conn.loop = asyncio.get_running_loop()
        # register-client step: snapshot + index the initial page (FletApp does this
        # before main(); without it later diffs have no baseline and nothing is indexed)
        # NB: the snapshots used by later in-place diffs (__prev_lists...) are taken
        # while msgpack-encoding, so the payload MUST be encoded, not just computed.
        msgpack.packb(self.session.get_page_patch(), default=_encode)
        context.reset_auto_update()
        r = self.main(self.page)
        if inspect.isawaitable(r):
            await r
        await self.session.after_event(self.page)
        await self.settle()
        return self

    async def settle(self, n: int = 5):
        for _ in range(n):  # let scheduled tasks (component updates, invoke answers) run
            await asyncio.sleep(0)

    # -- finding controls ----------------------------------------------------
    def all_controls(self) -> list[BaseControl]:
        return list(self.session.index.values())

    def find(self, cls=None, **attrs) -> BaseControl:
        hits = self.find_all(cls, **attrs)
        assert len(hits) == 1, f"expected 1 match for {cls} {attrs}, got {len(hits)}"
        return hits[0]

    def find_all(self, cls=None, **attrs) -> list[BaseControl]:
        out = []
        for c in self.all_controls():
            if cls is not None and not isinstance(c, cls):
                continue
            if all(getattr(c, k, None) == v for k, v in attrs.items()):
                out.append(c)
        return out

    def texts(self) -> list[str]:
        return [c.value for c in self.find_all(ft.Text) if c.value]

    # -- driving events (as the websocket server does) -----------------------
    async def fire(self, control: BaseControl, event: str, data: Any = None):
        await self.session.dispatch_event(control._i, event, data)
        await self.settle()
        assert not self.conn.crashes(), self.conn.crashes()

    async def click(self, control):
        await self.fire(control, "click")

    async def type_text(self, field: ft.TextField, text: str):
        # the Flutter client first patches the value, then sends a "change" event
        self.session.apply_patch(field._i, {"value": text})
        await self.fire(field, "change", text)
