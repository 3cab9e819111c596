"""Read-through caches of what the server sent: visits, dossiers, citizens, catalogues, units.

The cache mirrors the server only. What the officer did locally and the server has not yet
confirmed lives in `overrides` and is laid over the cached rows by the readers here
(`get_visit`, `list_visits`, `get_dossier`), so the screens always show the officer's
latest action while the cache stays a faithful copy for the next pull.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from api_client.domain.text import fold
from api_client.models import (
    CataloguePublic,
    CitizenPublic,
    DossierPublic,
    UnitPublic,
    VisitPublic,
)

from .db import transaction
from .overrides import dossier_patches, visit_patches


def _dump(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False)


def upsert_visits(db: sqlite_utils.Database, visits: Iterable[VisitPublic]) -> list[int]:
    """Insert or replace visits; return their ids (search text refreshed)."""
    ids = []
    with transaction(db):
        for v in visits:
            db.execute(
                "INSERT INTO visits (id, body, planned_date, status, kind, assignee_id, dossier_id,"
                " citizen_id, version, updated_at) VALUES (?,enc(?),?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET body=excluded.body, planned_date=excluded.planned_date,"
                " status=excluded.status, kind=excluded.kind, assignee_id=excluded.assignee_id,"
                " dossier_id=excluded.dossier_id, citizen_id=excluded.citizen_id,"
                " version=excluded.version, updated_at=excluded.updated_at",
                [v.id, _dump(v), v.planned_date, v.status.value, v.kind.value, v.assignee_id,
                 v.dossier_id, v.citizen_id, v.version, v.updated_at])
            ids.append(v.id)
        refresh_search(db, visit_ids=ids)
    return ids


def upsert_dossiers(db: sqlite_utils.Database, dossiers: Iterable[DossierPublic]) -> list[int]:
    """Insert or replace dossiers; return their ids."""
    ids = []
    with transaction(db):
        for d in dossiers:
            db.execute(
                "INSERT INTO dossiers (id, body, code, status, citizen_id, search, updated_at)"
                " VALUES (?,enc(?),?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET body=excluded.body,"
                " code=excluded.code, status=excluded.status, citizen_id=excluded.citizen_id,"
                " search=excluded.search, updated_at=excluded.updated_at",
                [d.id, _dump(d), d.code, int(d.status), d.citizen_id, fold(d.code), d.updated_at])
            ids.append(d.id)
        refresh_search(db, dossier_ids=ids)
    return ids


def upsert_citizens(db: sqlite_utils.Database, citizens: Iterable[CitizenPublic]) -> list[int]:
    """Insert or replace citizens; return their ids."""
    ids = []
    with transaction(db):
        for c in citizens:
            search = fold(" ".join([c.full_name, c.id_number, c.address]))
            db.execute(
                "INSERT INTO citizens (id, body, full_name, id_number, search, updated_at)"
                " VALUES (?,enc(?),enc(?),enc(?),enc(?),?) ON CONFLICT(id) DO UPDATE SET body=excluded.body,"
                " full_name=excluded.full_name, id_number=excluded.id_number,"
                " search=excluded.search, updated_at=excluded.updated_at",
                [c.id, _dump(c), c.full_name, c.id_number, search, c.updated_at])
            ids.append(c.id)
        refresh_search(db, citizen_ids=ids)
    return ids


def upsert_catalogues(db: sqlite_utils.Database, catalogues: Iterable[CataloguePublic]) -> None:
    """Store catalogue versions (old ones are kept: visits started under them still need them)."""
    changed = 0
    with transaction(db):
        for c in catalogues:
            changed += db.execute(
                "INSERT INTO catalogues (version, body, published_at) VALUES (?,?,?)"
                " ON CONFLICT(version) DO UPDATE SET body=excluded.body, published_at=excluded.published_at"
                " WHERE catalogues.body != excluded.body",
                [c.version, _dump(c), c.published_at]).rowcount
        if changed:  # procedure names are part of every visit's search text
            refresh_search(db, every=True)


def upsert_units(db: sqlite_utils.Database, units: Iterable[UnitPublic]) -> None:
    """Store the administrative unit tree."""
    changed = 0
    with transaction(db):
        for u in units:
            changed += db.execute(
                "INSERT INTO units (id, body, parent_id, level) VALUES (?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET body=excluded.body, parent_id=excluded.parent_id,"
                " level=excluded.level WHERE units.body != excluded.body",
                [u.id, _dump(u), u.parent_id, u.level.value]).rowcount
        if changed:  # hamlet names are part of every visit's search text
            refresh_search(db, every=True)


ProcedureNames = tuple[dict[tuple[int, str], str], dict[str, str], set[int]]


def _procedure_names(db: sqlite_utils.Database) -> ProcedureNames:
    """(version, code) -> name in every cached catalogue, the latest version's code -> name, versions."""
    by_version: dict[tuple[int, str], str] = {}
    # json_each reads the names inside SQLite: no catalogue body is parsed in Python
    for r in db.query(
        "SELECT c.version, json_extract(p.value, '$.code') AS code, json_extract(p.value, '$.name') AS name"
        " FROM catalogues c, json_each(c.body, '$.procedures') p"
    ):
        by_version[(r["version"], r["code"])] = r["name"] or r["code"]
    versions = {r["version"] for r in db.query("SELECT version FROM catalogues")}
    top = max(versions, default=-1)
    latest = {code: name for (version, code), name in by_version.items() if version == top}
    return by_version, latest, versions


def search_text(full_name: str | None, code: str | None, id_number: str | None, address: str | None,
                hamlet: str | None, procedure_name: str | None) -> str:
    """The folded text a visit is found by: citizen name, dossier code, ID, address, hamlet, procedure."""
    return fold(" ".join(x for x in (full_name, code, id_number, address, hamlet, procedure_name) if x))


def refresh_search(db: sqlite_utils.Database, *, visit_ids: Iterable[int] = (),
                   dossier_ids: Iterable[int] = (), citizen_ids: Iterable[int] = (),
                   every: bool = False) -> None:
    """Recompute the folded search text of the visits touching these rows (`every`: all visits).

    The hamlet and procedure names are resolved as the route screen shows them: the citizen's
    hamlet (else the dossier's), the procedure in the visit's catalogue version (else in the
    latest cached catalogue, else its code).
    """
    v, d, c = list(visit_ids), list(dossier_ids), list(citizen_ids)
    if not (v or d or c or every):
        return

    def marks(n: int) -> str:
        return ",".join("?" * n) or "NULL"

    where = "1=1" if every else (f"v.id IN ({marks(len(v))}) OR v.dossier_id IN ({marks(len(d))})"
                                 f" OR v.citizen_id IN ({marks(len(c))})")
    rows = list(db.query(
        "SELECT v.id, d.code, dec(ci.full_name) AS full_name, dec(ci.id_number) AS id_number,"
        " json_extract(dec(ci.body), '$.address') AS address,"
        " COALESCE(NULLIF(json_extract(dec(ci.body), '$.hamlet_id'), 0),"
        " json_extract(dec(d.body), '$.hamlet_id')) AS hamlet_id,"
        " json_extract(dec(d.body), '$.procedure_code') AS procedure_code,"
        " json_extract(dec(v.body), '$.catalogue_version') AS catalogue_version FROM visits v"
        " LEFT JOIN dossiers d ON d.id = v.dossier_id LEFT JOIN citizens ci ON ci.id = v.citizen_id"
        f" WHERE {where}", [] if every else [*v, *d, *c]))
    if not rows:
        return
    hamlets = {r["id"]: r["name"]
               for r in db.query("SELECT id, json_extract(body, '$.name') AS name FROM units")}
    by_version, latest, versions = _procedure_names(db)
    updates = []
    for row in rows:
        code = row["procedure_code"]
        procedure = None
        if code:
            if row["catalogue_version"] in versions:
                procedure = by_version.get((row["catalogue_version"], code))
            else:
                procedure = latest.get(code)
            procedure = procedure or code
        text = search_text(row["full_name"], row["code"], row["id_number"], row["address"],
                           hamlets.get(row["hamlet_id"]), procedure)
        updates.append((text, row["id"]))
    db.conn.executemany("UPDATE visits SET search = enc(?) WHERE id = ? AND dec(search) IS NOT ?",
                        [(t, i, t) for t, i in updates])


def search_texts(db: sqlite_utils.Database, visit_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Visit id -> its stored folded search text (every visit when `visit_ids` is None)."""
    if visit_ids is None:
        return {r["id"]: r["search"] for r in db.query("SELECT id, dec(search) AS search FROM visits")}
    ids = list(visit_ids)
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):  # SQLite caps bound parameters per statement
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out.update({r["id"]: r["search"] for r in db.query(
            f"SELECT id, dec(search) AS search FROM visits WHERE id IN ({marks})", chunk)})
    return out


def drop_visit(db: sqlite_utils.Database, visit_id: int) -> bool:
    """Remove a visit from the cache (tombstone); True when it was there."""
    return db.execute("DELETE FROM visits WHERE id = ?", [visit_id]).rowcount > 0


def _merge(body: dict[str, Any], patch: dict[str, Any] | None) -> dict[str, Any]:
    return {**body, **patch} if patch else body


def get_visit(db: sqlite_utils.Database, visit_id: int) -> VisitPublic | None:
    """A cached visit with the officer's unconfirmed action laid over it, or None."""
    rows = list(db.query("SELECT dec(body) AS body FROM visits WHERE id = ?", [visit_id]))
    if not rows:
        return None
    patch = visit_patches(db, [visit_id]).get(visit_id)
    return VisitPublic.model_validate(_merge(json.loads(rows[0]["body"]), patch))


def list_visits(
    db: sqlite_utils.Database,
    *,
    date: str | None = None,
    status: str | Iterable[str] | None = None,
    kind: str | None = None,
    assignee_id: int | None = None,
    q: str | None = None,
) -> list[VisitPublic]:
    """Cached visits (local actions applied), filtered; `q` matches without accents or case.

    `q`: every word must occur in the visit's folded search text (citizen name, dossier code,
    ID number, address, hamlet and procedure name: `search_text`), as the route search does.

    The status filter sees the local status, so a visit finished offline leaves "planned"
    at once. Ordered by planned date, time window, id.
    """
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if date:
        where.append("planned_date = ?")
        params.append(date)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if assignee_id is not None:
        where.append("assignee_id = ?")
        params.append(assignee_id)
    for word in fold(q or "").split():
        where.append("dec(search) LIKE ? ESCAPE '\\'")  # decrypted in memory, row by row
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    rows = list(db.query(
        f"SELECT id, dec(body) AS body FROM visits WHERE {' AND '.join(where)}"
        " ORDER BY planned_date, json_extract(dec(body), '$.window_start'), id", params))
    patches = visit_patches(db, [r["id"] for r in rows])
    visits = [VisitPublic.model_validate(_merge(json.loads(r["body"]), patches.get(r["id"])))
              for r in rows]
    if status is not None:
        wanted = {status} if isinstance(status, str) else set(status)
        visits = [v for v in visits if v.status.value in wanted]
    return visits


def get_dossier(db: sqlite_utils.Database, dossier_id: int) -> DossierPublic | None:
    """A cached dossier with any unconfirmed local change laid over it, or None."""
    rows = list(db.query("SELECT dec(body) AS body FROM dossiers WHERE id = ?", [dossier_id]))
    if not rows:
        return None
    patch = dossier_patches(db, [dossier_id]).get(dossier_id)
    return DossierPublic.model_validate(_merge(json.loads(rows[0]["body"]), patch))


def list_dossiers(db: sqlite_utils.Database, *, status: int | None = None,
                  q: str | None = None) -> list[DossierPublic]:
    """Cached dossiers (local changes applied), optionally by status and folded code/citizen search."""
    rows = list(db.query(
        "SELECT d.id, dec(d.body) AS body, d.search || ' ' || COALESCE(dec(c.search), '') AS hay"
        " FROM dossiers d"
        " LEFT JOIN citizens c ON c.id = d.citizen_id ORDER BY d.id"))
    words = fold(q or "").split()
    rows = [r for r in rows if all(w in r["hay"] for w in words)]
    patches = dossier_patches(db, [r["id"] for r in rows])
    dossiers = [DossierPublic.model_validate(_merge(json.loads(r["body"]), patches.get(r["id"])))
                for r in rows]
    return [d for d in dossiers if status is None or int(d.status) == int(status)]


def get_citizen(db: sqlite_utils.Database, citizen_id: int) -> CitizenPublic | None:
    """A cached citizen, or None."""
    rows = list(db.query("SELECT dec(body) AS body FROM citizens WHERE id = ?", [citizen_id]))
    return CitizenPublic.model_validate(json.loads(rows[0]["body"])) if rows else None


def get_catalogue(db: sqlite_utils.Database, version: int | None = None) -> CataloguePublic | None:
    """A cached catalogue version (the latest when `version` is None), or None."""
    if version is None:
        rows = list(db.query("SELECT body FROM catalogues ORDER BY version DESC LIMIT 1"))
    else:
        rows = list(db.query("SELECT body FROM catalogues WHERE version = ?", [version]))
    return CataloguePublic.model_validate(json.loads(rows[0]["body"])) if rows else None


def list_units(db: sqlite_utils.Database) -> list[UnitPublic]:
    """The cached administrative unit tree (flat, parents before children by id)."""
    return [UnitPublic.model_validate(json.loads(r["body"]))
            for r in db.query("SELECT body FROM units ORDER BY id")]
