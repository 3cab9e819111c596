"""Clock and location honesty: when did an event really happen, and could the officer have been there?

A phone's wall clock can be wrong or set back; its monotonic clock (time since boot) cannot be
set by the user. Each push carries both with the device id, so the server can:
- store the device's clock offset at every sync (`device_clock_samples`);
- give each sealed event a time by the server's clock (`anchored_at`): server time of the push
  minus the monotonic time elapsed since the event, when both lie in the same boot; otherwise
  the event's device time corrected by the offset measured at this push;
- flag `clock_off` (device time more than CLOCK_OFF_S from that), `clock_jump` (wall and monotonic
  time between two consecutive events of one device disagree by more than CLOCK_JUMP_S).
And for each GPS fix: `impossible_speed` from the officer's previous fix, `identical_fix` (the
same point to the metre as an earlier fix: real receivers never repeat exactly), `mock_location`
(the platform said the fix came from a mock provider).

These flags say "look closer", never "refused": the event is applied whatever they say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from api_client.domain.evidence import canonical_time
from api_client.domain.geo import distance_m
from api_client.models import DeviceClock

from ..db.schema import device_clock_samples, event_evidence
from .clock import iso, parse_iso

CLOCK_OFF_S = 300  # a phone clock 5 minutes off is wrong, not drift
CLOCK_JUMP_S = 120  # wall clock moved 2 minutes against the monotonic one between two events
MAX_SPEED_KMH = 150.0  # faster than any motorbike on a commune road
MIN_MOVE_M = 500.0  # below this, GPS error alone can explain a "speed"
MAX_ANCHOR_GAP = timedelta(days=30)  # beyond this a monotonic anchor is not trusted
RECENT_FIXES = 200  # how far back identical / speed checks look, per officer


@dataclass(frozen=True)
class Probe:
    """One push's clock reading: the phone's clocks and the server's at arrival."""

    clock: DeviceClock
    server_time: datetime

    @property
    def offset_ms(self) -> int:
        """Device clock minus server clock."""
        return round((self.clock.device_time - self.server_time).total_seconds() * 1000)


def record_sample(conn: Connection, officer_id: int, probe: Probe) -> None:
    """Store the device's clock against the server's for this sync; mark a jump since the last one."""
    last = conn.execute(select(device_clock_samples).where(
        device_clock_samples.c.device_id == probe.clock.device_id)
        .order_by(device_clock_samples.c.id.desc()).limit(1)).mappings().first()
    jumped = False
    if last is not None and last["boot"] and last["boot"] == probe.clock.boot \
            and last["monotonic_ms"] is not None:
        # the offset may drift slowly; a change larger than the jump limit means the clock was set
        jumped = abs(probe.offset_ms - int(last["offset_ms"])) > CLOCK_JUMP_S * 1000
    conn.execute(insert(device_clock_samples).values(
        officer_id=officer_id, device_id=probe.clock.device_id, device_time=iso(probe.clock.device_time),
        server_time=iso(probe.server_time), offset_ms=probe.offset_ms, monotonic_ms=probe.clock.monotonic_ms,
        boot=probe.clock.boot, jumped=jumped))


def _parse(value: Any) -> datetime | None:
    try:
        return parse_iso(str(canonical_time(value))) if value else None
    except ValueError:
        return None


def anchor(block: Any, probe: Probe | None) -> tuple[str | None, str | None]:
    """(the event's time by the server's clock, 'monotonic' | 'offset'), or (None, None)."""
    if block is None or probe is None or probe.clock.device_id != block.device_id:
        return None, None
    elapsed = probe.clock.monotonic_ms - block.monotonic_ms
    same_boot = bool(block.boot) and block.boot == probe.clock.boot
    if same_boot and 0 <= elapsed <= MAX_ANCHOR_GAP.total_seconds() * 1000:
        return iso(probe.server_time - timedelta(milliseconds=elapsed)), "monotonic"
    device_time = _parse(block.device_time)
    if device_time is None:
        return None, None
    return iso(device_time - timedelta(milliseconds=probe.offset_ms)), "offset"


def _fix(raw: dict[str, Any]) -> dict[str, Any] | None:
    gps = (raw.get("payload") or {}).get("gps") if isinstance(raw.get("payload"), dict) else None
    fix = gps.get("fix") if isinstance(gps, dict) else None
    return fix if isinstance(fix, dict) and "lat" in fix and "lon" in fix else None


def location_values(raw: dict[str, Any]) -> dict[str, Any]:
    """The event's fix as event_evidence columns (all None without a fix)."""
    fix = _fix(raw)
    if fix is None:
        return {"lat": None, "lon": None, "fix_time": None, "mocked": None}
    return {"lat": float(fix["lat"]), "lon": float(fix["lon"]),
            "fix_time": canonical_time(fix.get("device_time")), "mocked": bool(fix.get("mocked") or False)}


def _when(row: Any) -> datetime | None:
    """The best time of a stored event: the anchored one, else the fix's or the device's own."""
    return _parse(row["anchored_at"]) or _parse(row["fix_time"]) or _parse(row["device_time"])


def flags_for(conn: Connection, officer_id: int, event_id: str, values: dict[str, Any],
              block: Any) -> list[str]:
    """Clock and location flags of one arriving event (values: its event_evidence columns)."""
    flags: list[str] = []
    device_time = _parse(values.get("device_time"))
    anchored = _parse(values.get("anchored_at"))
    if device_time is not None and anchored is not None \
            and abs((device_time - anchored).total_seconds()) > CLOCK_OFF_S:
        flags.append("clock_off")
    if block is not None and block.seq > 1:
        prev = conn.execute(select(event_evidence.c.device_time, event_evidence.c.monotonic_ms,
                                   event_evidence.c.material).where(
            event_evidence.c.device_id == block.device_id, event_evidence.c.seq == block.seq - 1)).first()
        if prev is not None and _same_boot(prev.material, block.boot):
            prev_time = _parse(prev.device_time)
            wall = (device_time - prev_time).total_seconds() * 1000 if device_time and prev_time else None
            mono = block.monotonic_ms - int(prev.monotonic_ms or 0)
            if mono < 0 or (wall is not None and abs(wall - mono) > CLOCK_JUMP_S * 1000):
                flags.append("clock_jump")
    if values.get("lat") is None:
        return flags
    if values.get("mocked"):
        flags.append("mock_location")
    flags += _location_flags(conn, officer_id, event_id, values)
    return flags


def _same_boot(prev_material: str | None, boot: str | None) -> bool:
    try:
        prev_boot = json.loads(prev_material or "{}").get("boot")
    except ValueError:
        return False
    return bool(boot) and prev_boot == boot


def _location_flags(conn: Connection, officer_id: int, event_id: str, values: dict[str, Any]) -> list[str]:
    flags: list[str] = []
    lat, lon = float(values["lat"]), float(values["lon"])
    recent = list(conn.execute(select(event_evidence).where(
        event_evidence.c.officer_id == officer_id, event_evidence.c.lat.is_not(None),
        event_evidence.c.event_id != event_id)
        .order_by(event_evidence.c.received_at.desc()).limit(RECENT_FIXES)).mappings())
    if any(round(r["lat"], 5) == round(lat, 5) and round(r["lon"], 5) == round(lon, 5) for r in recent):
        flags.append("identical_fix")  # 1e-5 degree is about a metre here
    when = _when(values)
    if when is None:
        return flags
    before = [(t, r) for r in recent if (t := _when(r)) is not None and t <= when]
    if before:
        t, r = max(before, key=lambda pair: pair[0])
        metres = distance_m(r["lat"], r["lon"], lat, lon)
        hours = max((when - t).total_seconds(), 1.0) / 3600
        if metres > MIN_MOVE_M and metres / 1000 / hours > MAX_SPEED_KMH:
            flags.append("impossible_speed")
    return flags


def visit_signals(conn: Connection, visit_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per visit: honesty flags of its events, its worst evidence status, and its anchored end time."""
    out: dict[int, dict[str, Any]] = {}
    rows: list[Any] = []
    for start in range(0, len(visit_ids), 1000):  # an export may hold many thousands of visits
        rows += conn.execute(select(event_evidence.c.visit_id, event_evidence.c.type, event_evidence.c.status,
                                    event_evidence.c.honesty, event_evidence.c.anchored_at,
                                    event_evidence.c.received_at)
                             .where(event_evidence.c.visit_id.in_(visit_ids[start:start + 1000]))).mappings()
    for r in sorted(rows, key=lambda r: r["received_at"]):
        entry = out.setdefault(int(r["visit_id"]), {"honesty": [], "evidence": None, "trusted_at": None})
        entry["honesty"] = list(dict.fromkeys([*entry["honesty"], *(r["honesty"] or [])]))
        if r["status"] != "verified" or entry["evidence"] is None:
            entry["evidence"] = r["status"] if entry["evidence"] in (None, "verified") else entry["evidence"]
        if r["type"] != "visit.en_route" and r["anchored_at"]:
            entry["trusted_at"] = r["anchored_at"]
    return out
