"""'Bàn giao': dossiers to take out from / bring in to the desk, handovers to confirm (online only)."""

from __future__ import annotations

import flet as ft

from api_client.models import HandoverPublic, OfficerPublic
from mobile.services.flow import FlowError
from mobile.services.handovers import CustodyItem, NeedsConnection
from mobile.ui.context import ViewContext
from mobile.ui.route import fmt_time
from mobile.ui.theme import DANGER, MUTED, PRIMARY, WARN, big_button, error_text, title

DIRECTIONS = ("desk_to_officer", "officer_to_desk")


class HandoversView:
    """The officer's custody screen; supervisors also see the handovers waiting for them."""

    def __init__(self, ctx: ViewContext) -> None:
        self.ctx = ctx
        self.svc = ctx.services.handovers
        self.selected: dict[str, set[int]] = {d: set() for d in DIRECTIONS}
        self.message = error_text()
        self.remote = ft.Column(spacing=6)  # pending + recent handovers, filled once online
        # the accounts to pick from arrive with the online part; typing a number invited mistakes
        self.counterpart = ft.Dropdown(
            label=ctx.t("handover_field_officer" if self.svc.is_supervisor() else "handover_counterpart"),
            options=[],
            key="field-counterpart",
            width=360,
        )
        self.note = ft.TextField(label=ctx.t("handover_note"), key="field-handover-note")
        self.lists = ft.Column(spacing=8)  # redrawn after a handover: handed-over items leave

    def build(self) -> ft.Control:
        """Both lists (local, offline-safe) and the online part, loaded in the background."""
        t = self.ctx.t
        # who the papers go to comes first: it is what every handover below needs
        items: list[ft.Control] = [
            title(t("handovers")),
            self.counterpart,
            self.note,
            self.message,
            self.lists,
            self.remote,
        ]
        self._render_lists()
        self.remote.controls = [ft.Text(t("loading"), color=MUTED)]
        self.ctx.run(self._load_remote)
        return ft.Container(
            padding=12, expand=True, content=ft.ListView(controls=items, spacing=8, expand=True)
        )

    def _render_lists(self) -> None:
        t = self.ctx.t
        self.lists.controls = [
            *self._section("desk_to_officer", t("handover_out"), self.svc.to_take_out()),
            *self._section("officer_to_desk", t("handover_in"), self.svc.to_bring_in()),
        ]

    def _section(self, direction: str, heading: str, rows: list[CustodyItem]) -> list[ft.Control]:
        t = self.ctx.t
        out: list[ft.Control] = [ft.Text(heading, weight=ft.FontWeight.BOLD, color=PRIMARY, size=16)]
        if not rows:
            return out + [ft.Text(t("handover_none"), color=MUTED)]
        for r in rows:
            # a one-line label is clipped on a phone: the code on the box, who and what wrapped below
            out.append(
                ft.Column(
                    [
                        ft.Checkbox(
                            label=r.dossier_code,
                            value=r.dossier_id in self.selected[direction],
                            data=(direction, r.dossier_id),
                            on_change=self._tick,
                            key=f"ho-{direction}-{r.dossier_id}",
                        ),
                        ft.Container(
                            ft.Text(f"{r.citizen_name} · {r.procedure_name}", size=13, color=MUTED),
                            padding=ft.Padding.only(left=40),
                        ),
                    ],
                    spacing=0,
                )
            )
        out.append(
            big_button(
                t("handover_create"),
                self._create,
                key=f"handover-create-{direction}",
                data=direction,
                icon=ft.Icons.SWAP_HORIZ,
            )
        )
        return out

    def _tick(self, e: ft.Event) -> None:
        direction, dossier_id = e.control.data
        chosen = self.selected[direction]
        chosen.add(dossier_id) if e.control.value else chosen.discard(dossier_id)

    def _show(self, text: str, error: bool) -> None:
        self.message.value, self.message.visible = text, True
        self.message.color = DANGER if error else PRIMARY

    async def _create(self, e: ft.Event) -> None:
        t = self.ctx.t
        direction = e.control.data
        try:
            if not self.counterpart.options:
                # the screen opened offline: the picker fills once the connection is back
                self._fill_picker(await self.svc.counterparts())
            await self.svc.create(
                direction,
                sorted(self.selected[direction]),
                int(self.counterpart.value) if self.counterpart.value else None,
                self.note.value or "",
            )
        except NeedsConnection:
            self._show(t("handover_offline"), True)
        except FlowError as exc:
            self._show("\n".join(self.ctx.tr.errors(exc.errors, exc.params).values()), True)
        else:
            self.selected[direction].clear()
            self._render_lists()  # nothing stays ticked; items the server moved leave the list
            self._show(t("handover_created"), False)
            await self._load_remote()
        self._update()

    async def _confirm(self, e: ft.Event) -> None:
        try:
            await self.svc.confirm(int(e.control.data))
        except NeedsConnection:
            self._show(self.ctx.t("handover_offline"), True)
        except FlowError as exc:
            self._show("\n".join(self.ctx.tr.errors(exc.errors, exc.params).values()), True)
        else:
            self._show(self.ctx.t("handover_confirmed"), False)
            await self._load_remote()
        self._update()

    async def _load_remote(self) -> None:
        t = self.ctx.t
        try:
            people = await self.svc.counterparts()
            pending = await self.svc.pending()
            recent = await self.svc.recent()
        except NeedsConnection:
            self.remote.controls = [ft.Text(t("handover_offline"), color=WARN, weight=ft.FontWeight.BOLD)]
            self._update()
            return
        except FlowError as exc:
            self.remote.controls = [
                ft.Text("\n".join(self.ctx.tr.errors(exc.errors, exc.params).values()), color=DANGER)
            ]
            self._update()
            return
        self._fill_picker(people)
        controls: list[ft.Control] = []
        if pending:
            controls.append(ft.Text(t("handover_pending"), weight=ft.FontWeight.BOLD, color=PRIMARY, size=16))
            for h in pending:
                controls.append(
                    ft.Row(
                        [
                            ft.Text(self._line(h), expand=True),
                            big_button(
                                t("handover_confirm"), self._confirm, key=f"confirm-{h.id}", data=h.id
                            ),
                        ]
                    )
                )
        controls.append(ft.Text(t("handover_recent"), weight=ft.FontWeight.BOLD, color=PRIMARY, size=16))
        if not recent:
            controls.append(ft.Text(t("handover_none"), color=MUTED))
        for h in recent[:20]:
            controls.append(ft.Text(self._line(h), size=14, color=WARN if h.pending else None))
        self.remote.controls = controls
        self._update()

    def _fill_picker(self, people: list[OfficerPublic]) -> None:
        # never preselected, even when there is one desk: custody passes to whom the officer chose
        self.counterpart.options = [
            ft.DropdownOption(key=str(o.id), text=f"{o.full_name} ({o.username})") for o in people
        ]

    def _line(self, h: HandoverPublic) -> str:
        t = self.ctx.t
        text = t(
            "handover_row",
            when=fmt_time(h.created_at),
            giver=h.from_name or "?",
            receiver=h.to_name or "?",
            n=len(h.dossier_ids),
        )
        return text + (f" · {t('handover_waiting')}" if h.pending else "")

    def _update(self) -> None:
        try:
            self.ctx.page.update()
        except Exception:  # noqa: BLE001 - the officer navigated away meanwhile
            pass
