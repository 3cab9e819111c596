"""An at-risk row says what the dossier's visits already did: a dossier picked up this morning
reads "Đã nhận hồ sơ tại nhà lúc …" and "no home visit needed", never "no visit yet"."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import flet as ft

from api_client.models import AtRiskDossier
from mobile.i18n import EN, VI, Translator
from mobile.services.supervision import AssignOutcome
from mobile.ui.supervisor.at_risk import AtRiskView, assign_message


def _view(lang: str) -> AtRiskView:
    tr = Translator(lang)
    supervision = SimpleNamespace(today=lambda: date(2026, 3, 4))
    ctx = SimpleNamespace(t=tr.t, tr=tr, services=SimpleNamespace(supervision=supervision))
    return AtRiskView(ctx)  # type: ignore[arg-type]


def _texts(control: ft.Control) -> list[str]:
    out: list[str] = []

    def walk(c: object) -> None:
        value = getattr(c, "value", None)
        if isinstance(value, str):
            out.append(value)
        for name in ("content", "controls"):
            child = getattr(c, name, None)
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, ft.Control):
                    walk(item)

    walk(control)
    return out


def _dossier(**kw: object) -> AtRiskDossier:
    base = {"id": 7, "code": "000.00.21.H01-260304-0001", "status": 2, "procedure_code": "chung_thuc_ban_sao",
            "unit_id": 2, "citizen_id": 3, "citizen_name": "Nguyễn Văn An",
            "appointment_at": "2026-03-04T10:00:00+00:00"}
    return AtRiskDossier.model_validate(base | kw)


def test_a_dossier_picked_up_today_is_not_shown_as_having_no_visit() -> None:
    d = _dossier(last_visit_kind="pickup", last_visit_status="completed",
                 last_visit_at="2026-03-04T02:00:00+00:00", next_visit_kind=None)
    texts = _texts(_view(VI)._row(d))
    assert "Không cần đến nhà lúc này" in texts
    assert "Đã nhận hồ sơ tại nhà lúc 04/03/2026 09:00" in texts
    assert not any(t.startswith("Chưa có lượt đến nhà") for t in texts)
    en = _texts(_view(EN)._row(d))
    assert "No home visit needed now" in en and "Picked up at home at 04/03/2026 09:00" in en


def test_a_dossier_waiting_for_its_pickup_says_which_visit_assigning_plans() -> None:
    texts = _texts(_view(VI)._row(_dossier(status=1, next_visit_kind="pickup")))
    assert "Chưa có lượt đến nhà: giao sẽ lập lượt nhận hồ sơ" in texts
    ready = _texts(_view(VI)._row(_dossier(status=9, next_visit_kind="delivery")))
    assert "Chưa có lượt đến nhà: giao sẽ lập lượt trả kết quả" in ready


def test_the_assign_message_words_known_refusals_in_the_supervisors_language() -> None:
    closed = ("#12", "conflict", "Lượt đi #12 đã kết thúc (completed), không thể thay đổi")
    open_pickup = ("000.00.21.H01-260304-0002", "", "Hồ sơ đã có lượt nhận hồ sơ tại nhà đang mở")
    out = AssignOutcome(assigned=1, created=1, skipped=["000.00.21.H01-260304-0001"],
                        failed=[closed, open_pickup])
    vi = assign_message(Translator(VI).t, out, "B Trần", date(2026, 3, 5))
    assert vi.startswith("Đã giao 2 hồ sơ cho B Trần, ngày 05/03/2026.")
    assert "#12: lượt đi đã xong hoặc đã hủy" in vi and "(completed)" not in vi
    assert f"{open_pickup[0]}: {open_pickup[2]}" in vi  # a refusal without a known code: as the server said
    en = assign_message(Translator(EN).t, out, "B Trần", date(2026, 3, 5))
    assert en.startswith("Assigned 2 dossiers to B Trần for 05/03/2026.")
    assert "#12: the visit is already closed" in en
