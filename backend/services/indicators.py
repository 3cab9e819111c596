"""The national indicators a supervisor is scored on (Decision 766/QĐ-TTg), computed by the database.

One SQLAlchemy Core statement (UNION ALL of three fact branches, then GROUP BY with SUM/CASE)
serves SQLite and PostgreSQL alike. Which date each indicator filters on (range inclusive,
Vietnam calendar days, converted to UTC bounds for the timestamp columns):

- home_pickups: pickup visits with status completed, by visits.planned_date (the route day);
- home_deliveries: delivery visits with status completed, by visits.planned_date;
- failed_visits (and by reason): visits with status failed, by visits.planned_date;
- on_time_rate = returned_on_time / returned: dossiers in status 10 by dossiers.returned_at;
  on_time true counts (NULL counts as not on time);
- digitization_rate = digitized / received: dossiers by dossiers.received_at; digitized means
  digitization >= 1 AND has_result_file (the domain definition);
- online_payment_rate = paid_online / fee_dossiers: dossiers with fee_vnd > 0 by
  dossiers.received_at (the fee is collected at receipt); paid_online true counts.

Grouping: commune = dossiers.unit_id; hamlet = dossiers.hamlet_id; officer = the visit's
assignee for visit counts, and for dossier counts dossiers.received_by / returned_by (the officer
whose pickup / delivery event received / returned it; none for desk dossiers). Those columns are
stamped when the event is applied, so grouping by officer reads no visits for dossier counts.
Rates are NULL (None) when their denominator is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from api_client.models import FailureReason, GroupBy, IndicatorReport, IndicatorRow, OfficerPublic

from ..db.schema import dossiers, officers, units, visits
from ..errors import ApiError, not_found
from .access import unit_scope
from .tracks import day_bounds

MAX_RANGE_DAYS = 400
REASONS = [r.value for r in FailureReason]
COUNTS = (
    "pickup",
    "delivery",
    "failed",
    "returned",
    "on_time",
    "received",
    "digitized",
    "fee",
    "paid_online",
)


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _zero() -> ColumnElement[int]:
    return literal(0, Integer)


# The officer keys of the dossier facts; module names so the bench can time the old visit lookup.
RECEIVED_BY: Any = dossiers.c.received_by
RETURNED_BY: Any = dossiers.c.returned_by


@dataclass(frozen=True)
class Scope:
    """Units to count: whole communes (and above), hamlets in scope without their commune, and
    the communes holding those hamlets (visits carry the commune only)."""

    whole: frozenset[int]
    lone: frozenset[int]
    visit_units: frozenset[int]


def resolve_scope(conn: Connection, supervisor: OfficerPublic, unit_id: int | None) -> Scope:
    """The supervisor's units (narrowed to `unit_id` when given; 404 if outside them)."""
    allowed = unit_scope(conn, supervisor.unit_ids)
    if unit_id is not None and unit_id not in allowed:
        raise not_found("Không tìm thấy đơn vị (unit not found)")
    scope = unit_scope(conn, [unit_id]) & allowed if unit_id is not None else allowed
    tree = {
        r.id: (r.level, r.parent_id)
        for r in conn.execute(select(units.c.id, units.c.level, units.c.parent_id))
    }
    whole = {u for u in scope if u in tree and tree[u][0] != "hamlet"}
    lone = {u for u in scope if u in tree and tree[u][0] == "hamlet" and tree[u][1] not in whole}
    parents = {tree[h][1] for h in lone if tree[h][1] is not None}
    return Scope(frozenset(whole), frozenset(lone), frozenset(whole | parents))


def indicator_statement(scope: Scope, date_from: date, date_to: date, group_by: GroupBy | None) -> Any:
    """The one statement: facts from visits and dossiers, summed per group (None: one total row)."""
    start, _ = day_bounds(date_from)
    _, end = day_bounds(date_to)
    # Plain `unit_id IN (communes)` in the usual case keeps the (unit_id, date) indexes usable;
    # hamlets are only tested when the scope holds a hamlet without its commune.
    in_scope: ColumnElement[bool] = dossiers.c.unit_id.in_(scope.whole)
    if scope.lone:
        in_scope = or_(in_scope, dossiers.c.hamlet_id.in_(scope.lone))

    def key(officer: Any) -> Any:
        if group_by == GroupBy.COMMUNE:
            return dossiers.c.unit_id
        if group_by == GroupBy.HAMLET:
            return dossiers.c.hamlet_id
        if group_by == GroupBy.OFFICER:
            return officer
        return cast(null(), Integer)

    def branch(group: Any, reason: Any, **flags: Any) -> list[Any]:
        return [
            cast(group, Integer).label("gkey"),
            cast(reason, String).label("reason"),
            *[flags.get(name, _zero()).label(name) for name in COUNTS],
        ]

    visit_facts = (
        select(
            *branch(
                key(visits.c.assignee_id),
                case((visits.c.status == "failed", visits.c.failure_reason), else_=null()),
                pickup=_one_if(and_(visits.c.kind == "pickup", visits.c.status == "completed")),
                delivery=_one_if(and_(visits.c.kind == "delivery", visits.c.status == "completed")),
                failed=_one_if(visits.c.status == "failed"),
            )
        )
        .select_from(visits.join(dossiers, dossiers.c.id == visits.c.dossier_id))
        .where(
            visits.c.unit_id.in_(scope.visit_units),
            visits.c.planned_date >= date_from.isoformat(),
            visits.c.planned_date <= date_to.isoformat(),
            in_scope,
            visits.c.status.in_(["completed", "failed"]),
        )
    )
    returned_facts = select(
        *branch(
            key(RETURNED_BY),
            null(),
            returned=literal(1, Integer),
            on_time=_one_if(dossiers.c.on_time.is_(True)),
        )
    ).where(in_scope, dossiers.c.status == 10, dossiers.c.returned_at >= start, dossiers.c.returned_at < end)
    has_fee = dossiers.c.fee_vnd > 0
    received_facts = select(
        *branch(
            key(RECEIVED_BY),
            null(),
            received=literal(1, Integer),
            digitized=_one_if(and_(dossiers.c.digitization >= 1, dossiers.c.has_result_file.is_(True))),
            fee=_one_if(has_fee),
            paid_online=_one_if(and_(has_fee, dossiers.c.paid_online.is_(True))),
        )
    ).where(in_scope, dossiers.c.received_at >= start, dossiers.c.received_at < end)
    facts = union_all(visit_facts, returned_facts, received_facts).subquery("facts")

    def total(name: str) -> Any:
        return func.coalesce(func.sum(facts.c[name]), 0)

    def rate(numerator: str, denominator: str) -> Any:
        return cast(total(numerator), Float) / func.nullif(total(denominator), 0)

    columns = [
        *[total(name).label(name) for name in COUNTS],
        *[func.coalesce(func.sum(_one_if(facts.c.reason == r)), 0).label(f"reason_{r}") for r in REASONS],
        rate("on_time", "returned").label("on_time_rate"),
        rate("digitized", "received").label("digitization_rate"),
        rate("paid_online", "fee").label("online_payment_rate"),
    ]
    if group_by is None:
        return select(*columns)
    return select(facts.c.gkey, *columns).group_by(facts.c.gkey).order_by(facts.c.gkey)


def _row(values: Any, key_id: int | None, key_name: str) -> IndicatorRow:
    def maybe(v: Any) -> float | None:
        return None if v is None else round(float(v), 6)

    return IndicatorRow(
        key_id=key_id,
        key_name=key_name,
        home_pickups=values.pickup,
        home_deliveries=values.delivery,
        failed_visits=values.failed,
        failed_by_reason={r: int(getattr(values, f"reason_{r}")) for r in REASONS},
        returned=values.returned,
        returned_on_time=values.on_time,
        on_time_rate=maybe(values.on_time_rate),
        received=values.received,
        digitized=values.digitized,
        digitization_rate=maybe(values.digitization_rate),
        fee_dossiers=values.fee,
        paid_online=values.paid_online,
        online_payment_rate=maybe(values.online_payment_rate),
    )


def check_range(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """Defaults (the last 30 days up to today) and limits of a date range; 422 when backwards or too long."""
    end = date_to or today
    start = date_from or end - timedelta(days=29)
    if start > end:
        raise ApiError(422, "validation_error", "Ngày bắt đầu sau ngày kết thúc (date_from is after date_to)")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ApiError(
            422,
            "validation_error",
            f"Khoảng thời gian tối đa {MAX_RANGE_DAYS} ngày (range longer than {MAX_RANGE_DAYS} days)",
        )
    return start, end


def indicators(
    engine: Engine,
    supervisor: OfficerPublic,
    unit_id: int | None,
    date_from: date,
    date_to: date,
    group_by: GroupBy,
) -> IndicatorReport:
    """Indicator rows per group and their total over the scope."""
    with engine.connect() as conn:
        scope = resolve_scope(conn, supervisor, unit_id)
        grouped = list(conn.execute(indicator_statement(scope, date_from, date_to, group_by)))
        total = conn.execute(indicator_statement(scope, date_from, date_to, None)).one()
        keys = [r.gkey for r in grouped if r.gkey is not None]
        table = officers if group_by == GroupBy.OFFICER else units
        name_col = officers.c.full_name if group_by == GroupBy.OFFICER else units.c.name
        names = (
            dict(conn.execute(select(table.c.id, name_col).where(table.c.id.in_(keys))).all()) if keys else {}
        )
    rows = [_row(r, r.gkey, names.get(r.gkey, "Không xác định")) for r in grouped]
    for row in rows:
        if row.key_id not in names:
            row.label_code = "unknown"
    return IndicatorReport(
        unit_id=unit_id,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        group_by=group_by,
        rows=rows,
        total=_row(total, None, "Tổng").model_copy(update={"label_code": "total"}),
    )
