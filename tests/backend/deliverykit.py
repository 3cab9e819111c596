"""Helpers for the issue-4 tests (returning results): a catalogue with letters, ready dossiers, push."""

from __future__ import annotations

from typing import Any

import builders
import httpx
from sqlalchemy import Engine, select

from backend.db.schema import dossiers, notices, visits


def _same_day_procedure(
    code: str, name: str, document: tuple[str, str], result: str, **extra: Any
) -> dict[str, Any]:
    """A catalogue procedure with one document, free unless `fee` says otherwise, done the same day."""
    doc_code, doc_name = document
    return {
        "code": code,
        "name": name,
        "documents": [{"code": doc_code, "name": doc_name}],
        "fee": {"kind": "free"},
        "time_limit_days": 0,
        "result_document": result,
        **extra,
    }


LETTER_PROCEDURES = [
    _same_day_procedure(
        "ket_hon", "Đăng ký kết hôn", ("to_khai", "Tờ khai"), "Giấy chứng nhận kết hôn",
        letter="congratulation",
    ),
    _same_day_procedure(
        "khai_tu", "Đăng ký khai tử", ("to_khai", "Tờ khai"), "Trích lục khai tử", letter="condolence"
    ),
    _same_day_procedure(
        "chung_thuc_chu_ky",
        "Chứng thực chữ ký",
        ("van_ban", "Văn bản"),
        "Văn bản đã chứng thực chữ ký",
        fee={"kind": "flat", "amount_vnd": 10000},
    ),
]


def publish_v2(engine: Engine) -> int:
    """Catalogue version 2: the builders' procedures plus marriage, death and signature certification."""
    body = builders.catalogue_body()
    body["procedures"] += LETTER_PROCEDURES
    with engine.begin() as conn:
        return builders.catalogue(conn, 2, body)


def push(c: httpx.Client, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """POST /sync/push and return the per-event results."""
    r = c.post("/sync/push", json={"events": list(events)})
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def new_dossier(
    engine: Engine,
    world: builders.World,
    *,
    citizen: str = "binh",
    procedure: str = "khai_sinh",
    status: int = 4,
    catalogue_version: int = 1,
    **extra: Any,
) -> int:
    """A dossier of commune X for a world citizen (status 4: processing, about to be ready)."""
    with engine.begin() as conn:
        return builders.dossier(
            conn,
            world.citizens[citizen],
            world.x["commune"],
            procedure,
            status=status,
            hamlet_id=world.x["hamlets"][0],
            catalogue_version=catalogue_version,
            **extra,
        )


def make_ready(sx: httpx.Client, dossier_id: int) -> dict[str, Any]:
    """The supervisor moves the dossier to 9 (result ready)."""
    r = sx.post(f"/dossiers/{dossier_id}/status", json={"status": 9})
    assert r.status_code == 200, r.text
    return dict(r.json())


def delivery_visits(engine: Engine, dossier_id: int) -> list[dict[str, Any]]:
    """Every delivery visit of a dossier, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(visits)
            .where(visits.c.dossier_id == dossier_id, visits.c.kind == "delivery")
            .order_by(visits.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def notices_of(engine: Engine, dossier_id: int) -> list[dict[str, Any]]:
    """Every notice queued for a dossier, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(notices).where(notices.c.dossier_id == dossier_id).order_by(notices.c.id))
        return [dict(r) for r in rows.mappings()]


def code_of(engine: Engine, dossier_id: int) -> str:
    """The dossier's code (what the receipt carries)."""
    with engine.connect() as conn:
        return str(conn.execute(select(dossiers.c.code).where(dossiers.c.id == dossier_id)).scalar_one())
