"""Every table, in one place. Timestamps are ISO-8601 UTC strings (same on SQLite and PostgreSQL).

`seq` columns hold values of the global change counter (see `changes.next_seq`): pull sends
rows whose seq is above the phone's cursor. Bumping one counter row serialises writers, so
seq order is commit order and a cursor never skips a row committed late.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from api_client.domain.codes import new_lookup_token

metadata = MetaData()

change_counter = Table(
    "change_counter", metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

units = Table(
    "units", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("level", String(20), nullable=False),  # province | commune | hamlet
    Column("parent_id", Integer, ForeignKey("units.id")),
    Column("lat", Float),
    Column("lon", Float),
    # VietQR account of the receiving unit (commune), if any: "bank_bin|account_no|name"
    Column("bank_account", String(200)),
)

officers = Table(
    "officers", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("phone", String(20)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", String(40), nullable=False),
)

officer_units = Table(
    "officer_units", metadata,
    Column("officer_id", Integer, ForeignKey("officers.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
)

catalogues = Table(
    "catalogues", metadata,
    Column("version", Integer, primary_key=True),
    Column("published_at", String(40), nullable=False),
    Column("body", JSON, nullable=False),  # CataloguePublic as JSON
    Column("seq", BigInteger, nullable=False),
)

citizens = Table(
    "citizens", metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("id_number", String(12), nullable=False, unique=True),
    Column("phone", String(20)),
    Column("address", String(500), nullable=False),
    Column("hamlet_id", Integer, ForeignKey("units.id")),
    Column("lat", Float),
    Column("lon", Float),
    # where lat/lon came from (api_client.models.LocationSource) and how close it is
    Column("location_source", String(20)),
    Column("location_precision", String(20)),  # exact | approximate
    Column("location_note", String(200)),  # why approximate (geocoder said nothing, timed out, ...)
    Column("birth_date", String(10)),
    Column("updated_at", String(40), nullable=False),
    Column("seq", BigInteger, nullable=False),
)

# Geocoder answers by normalised address: an address is asked once per deployment, never per import
geocode_cache = Table(
    "geocode_cache", metadata,
    Column("address_key", String(600), primary_key=True),
    Column("found", Boolean, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(20)),
    Column("display_name", String(500)),
    Column("created_at", String(40), nullable=False),
)

dossiers = Table(
    "dossiers", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("procedure_code", String(40), nullable=False),
    Column("catalogue_version", Integer, nullable=False),
    Column("citizen_id", Integer, ForeignKey("citizens.id"), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),  # receiving commune
    Column("hamlet_id", Integer, ForeignKey("units.id")),
    Column("status", Integer, nullable=False),
    Column("channel", Integer, nullable=False, default=1),
    Column("return_method", String(10), nullable=False, default="home"),
    Column("registered_at", String(40), nullable=False),
    Column("received_at", String(40)),
    Column("appointment_at", String(40)),
    Column("returned_at", String(40)),
    Column("fee_vnd", Integer, nullable=False, default=0),
    Column("fee_paid_vnd", Integer, nullable=False, default=0),
    Column("paid_online", Boolean, nullable=False, default=False),
    Column("digitization", Integer, nullable=False, default=0),
    Column("has_result_file", Boolean, nullable=False, default=False),
    Column("supplement_requests", Integer, nullable=False, default=0),
    Column("on_time", Boolean),
    Column("note", Text),
    Column("updated_at", String(40), nullable=False),
    Column("seq", BigInteger, nullable=False),
    # issue 4: the first appointment, kept when an apology moves appointment_at (scoring uses it)
    Column("original_appointment_at", String(40)),
    # migration 4: the officer whose pickup received it / whose delivery returned it (NULL: at the
    # desk). Set when the event is applied, so indicators group by officer without reading visits.
    Column("received_by", Integer, ForeignKey("officers.id")),
    Column("returned_by", Integer, ForeignKey("officers.id")),
    # migration 5: search_key(code, citizen name, citizen ID) — folded in Python (SQL cannot strip
    # diacritics) so list searches are `LIKE '%word%'` in SQL; server-only, never sent to phones.
    # Written with the dossier and rewritten when the citizen's name changes (backend/db/search.py).
    Column("search_text", Text),
    # migration 6: the token of the public lookup page (/tra-cuu?t=...), printed in the receipt's QR.
    # Phones make it at a pickup; any other insert gets one here.
    Column("lookup_token", String(64), default=new_lookup_token),
)
Index("ux_dossiers_lookup_token", dossiers.c.lookup_token, unique=True)

dossier_status_log = Table(
    "dossier_status_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("from_status", Integer),
    Column("to_status", Integer, nullable=False),
    Column("at", String(40), nullable=False),
    Column("by_officer_id", Integer, ForeignKey("officers.id")),
    Column("note", Text),
)

visits = Table(
    "visits", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # pickup | delivery
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("citizen_id", Integer, ForeignKey("citizens.id"), nullable=False),
    Column("assignee_id", Integer, ForeignKey("officers.id")),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("planned_date", String(10), nullable=False),
    Column("window_start", String(5)),
    Column("window_end", String(5)),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("catalogue_version", Integer, nullable=False, default=1),
    Column("evidence", JSON, nullable=False, default=dict),
    Column("failure_reason", String(30)),
    Column("failure_note", Text),
    Column("proposed_date", String(10)),
    Column("completed_at", String(40)),
    Column("notice", Text),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", String(40), nullable=False),
    Column("seq", BigInteger, nullable=False),
)

tombstones = Table(
    "tombstones", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("reason", String(20), nullable=False),  # cancelled | reassigned
    Column("at", String(40), nullable=False),
    Column("seq", BigInteger, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(36), primary_key=True),  # the client's UUID: the idempotency key
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("type", String(40), nullable=False),
    Column("visit_id", Integer),
    Column("body_hash", String(64), nullable=False),
    Column("occurred_at", String(40)),
    Column("received_at", String(40), nullable=False),
    Column("status", String(12), nullable=False),  # applied | conflict | rejected
    Column("result", JSON, nullable=False),  # the EventResult first returned
)

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("total", BigInteger),
    Column("received", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
    Column("mime", String(60)),
    Column("uploaded_by", Integer, ForeignKey("officers.id")),
    Column("created_at", String(40), nullable=False),
    Column("data", LargeBinary),  # set once complete; parts live on disk until then
)

handovers = Table(
    "handovers", metadata,
    Column("id", Integer, primary_key=True),
    Column("from_officer_id", Integer, ForeignKey("officers.id")),
    Column("to_officer_id", Integer, ForeignKey("officers.id")),
    Column("created_at", String(40), nullable=False),
    Column("giver_confirmed_at", String(40)),
    Column("receiver_confirmed_at", String(40)),
    Column("note", Text),
    # issue 4: desk_to_officer | officer_to_desk; who recorded it; the commune it belongs to;
    # why the system made it (e.g. "failed_delivery") when no officer did
    Column("direction", String(20)),
    Column("created_by", Integer, ForeignKey("officers.id")),
    Column("unit_id", Integer, ForeignKey("units.id")),
    Column("reason", String(30)),
)

handover_items = Table(
    "handover_items", metadata,
    Column("handover_id", Integer, ForeignKey("handovers.id"), primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), primary_key=True),
    Column("outcome", String(10)),
)

# -- issue 4: notices to citizens, apologies, supervisor notifications ------------------

notices = Table(
    "notices", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("kind", String(20), nullable=False),  # a NoticeKind value
    Column("text", Text, nullable=False),
    Column("state", String(10), nullable=False),  # queued | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", String(40), nullable=False),
    Column("sent_at", String(40)),
    Column("sent_by", Integer, ForeignKey("officers.id")),  # desk officer who sent it by hand
    Column("gateway_response", Text),
    # issue 11: a dispatcher claims a queued notice until lease_until (ISO UTC); another may take it after
    Column("lease_owner", String(80)),
    Column("lease_until", String(40)),
)

apologies = Table(
    "apologies", metadata,
    Column("id", Integer, primary_key=True),
    Column("dossier_id", Integer, ForeignKey("dossiers.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("previous_appointment_at", String(40), nullable=False),
    Column("new_appointment_at", String(40), nullable=False),
    Column("created_by", Integer, ForeignKey("officers.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("notice_id", Integer, ForeignKey("notices.id")),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),  # the supervisor told
    Column("kind", String(30), nullable=False),  # returned_to_desk
    Column("text", Text, nullable=False),
    Column("dossier_id", Integer, ForeignKey("dossiers.id")),
    Column("handover_id", Integer, ForeignKey("handovers.id")),
    Column("created_at", String(40), nullable=False),
    Column("read_at", String(40)),
)

Index("ix_notices_state", notices.c.state, notices.c.id)
Index("ix_notices_dossier", notices.c.dossier_id)
Index("ix_apologies_dossier", apologies.c.dossier_id)
Index("ix_notifications_officer", notifications.c.officer_id, notifications.c.read_at)
Index("ix_handover_items_dossier", handover_items.c.dossier_id)

Index("ix_visits_assignee_seq", visits.c.assignee_id, visits.c.seq)
Index("ix_visits_unit_date", visits.c.unit_id, visits.c.planned_date)
Index("ix_dossiers_seq", dossiers.c.seq)
Index("ix_dossiers_unit_status", dossiers.c.unit_id, dossiers.c.status)
Index("ix_tombstones_officer_seq", tombstones.c.officer_id, tombstones.c.seq)
Index("ix_citizens_seq", citizens.c.seq)
Index("ix_status_log_dossier", dossier_status_log.c.dossier_id)
UniqueConstraint(officer_units.c.officer_id, officer_units.c.unit_id)

# -- issue 5: duty tracking (breadcrumbs) and the supervisor's indexes -------------------

breadcrumbs = Table(
    "breadcrumbs", metadata,
    # BIGINT on PostgreSQL (a province makes millions a month); INTEGER on SQLite = the rowid
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("recorded_at", String(40), nullable=False),  # ISO UTC, whole seconds
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("accuracy_m", Float),
    Column("batch_id", String(36), nullable=False),
)

track_batches = Table(
    "track_batches", metadata,
    Column("id", String(36), primary_key=True),  # the phone's batch UUID: the idempotency key
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("count", Integer, nullable=False),
    Column("duty_changes", Integer, nullable=False, default=0),
)

duty_changes = Table(
    "duty_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("at", String(40), nullable=False),
    Column("on_duty", Boolean, nullable=False),
    Column("batch_id", String(36), nullable=False),
)

ISSUE5_INDEXES = (
    Index("ix_breadcrumbs_officer_time", breadcrumbs.c.officer_id, breadcrumbs.c.recorded_at),
    Index("ix_duty_changes_officer_at", duty_changes.c.officer_id, duty_changes.c.at),
    # board: an officer's visits of a day; at-risk / day views: a dossier's visits
    Index("ix_visits_assignee_date", visits.c.assignee_id, visits.c.planned_date),
    Index("ix_visits_dossier", visits.c.dossier_id),
    # at-risk lists and indicators filter dossiers by unit and one date each
    Index("ix_dossiers_unit_status_appt", dossiers.c.unit_id, dossiers.c.status, dossiers.c.appointment_at),
    Index("ix_dossiers_unit_received", dossiers.c.unit_id, dossiers.c.received_at),
    Index("ix_dossiers_unit_returned", dossiers.c.unit_id, dossiers.c.returned_at),
)


# -- issue 9: accounts (login sessions, rotating refresh tokens, devices, throttling, audit) --------

auth_devices = Table(
    "auth_devices", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("device_id", String(64), nullable=False),  # chosen by the phone, stable per install
    Column("first_seen_at", String(40), nullable=False),
    Column("last_seen_at", String(40), nullable=False),  # last login or refresh
    Column("last_address", String(64)),
    Column("user_agent", String(200)),
    Column("revoked_at", String(40)),
    Column("revoked_by", Integer, ForeignKey("officers.id")),
    UniqueConstraint("officer_id", "device_id", name="uq_auth_devices_officer_device"),
)

auth_sessions = Table(
    "auth_sessions", metadata,
    Column("id", String(36), primary_key=True),  # the access token's `sid`; one per login
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),  # of the newest refresh token
    Column("revoked_at", String(40)),
    Column("revoked_reason", String(30)),  # logout | password_changed | disabled | device_revoked | reuse
)

auth_refresh_tokens = Table(
    "auth_refresh_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the secret; never the secret
    Column("session_id", String(36), ForeignKey("auth_sessions.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),  # rotated: presenting it again (after the grace) is a reuse
)

auth_throttle = Table(
    "auth_throttle", metadata,
    Column("key", String(120), primary_key=True),  # "account:<username>" | "address:<ip>"
    Column("failures", Integer, nullable=False, default=0),
    Column("window_start", String(40)),
    Column("locked_until", String(40)),
    Column("lockouts", Integer, nullable=False, default=0),  # grows the next lock's length
    Column("updated_at", String(40), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", String(40), nullable=False),
    Column("event", String(30), nullable=False),
    Column("officer_id", Integer, ForeignKey("officers.id")),  # who acted (when known)
    Column("username", String(64)),  # as typed at login (may name nobody)
    Column("target_officer_id", Integer, ForeignKey("officers.id")),  # whom a supervisor acted on
    Column("status", Integer),
    Column("code", String(40)),
    Column("method", String(10)),
    Column("path", String(300)),
    Column("address", String(64)),
    Column("device_id", String(64)),
    Column("detail", Text),
)

ISSUE9_INDEXES = (
    Index("ix_auth_sessions_officer", auth_sessions.c.officer_id, auth_sessions.c.device_id),
    Index("ix_auth_refresh_session", auth_refresh_tokens.c.session_id),
    Index("ix_audit_log_at", audit_log.c.at),
    Index("ix_audit_log_officer", audit_log.c.officer_id, audit_log.c.at),
    Index("ix_audit_log_target", audit_log.c.target_officer_id, audit_log.c.at),
)

# -- issue 9: tamper-evident evidence -------------------------------------------------------

device_keys = Table(
    "device_keys", metadata,
    Column("device_id", String(32), primary_key=True),  # random hex the phone makes at first login
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("public_key", String(64), nullable=False),  # base64 of the raw 32-byte Ed25519 key
    Column("registered_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

# One row per event that arrived (applied or not), with the seal as received and the flags
# found then; `doorstep verify` recomputes everything from these rows and the visits.
event_evidence = Table(
    "event_evidence", metadata,
    Column("event_id", String(36), primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("type", String(40), nullable=False),
    Column("visit_id", Integer),
    Column("device_id", String(32)),  # NULL: unsigned (a phone older than issue 9)
    Column("seq", Integer),
    Column("prev", String(64)),
    Column("digest", String(64)),  # the digest the phone signed (the next link's `prev`)
    Column("sig", String(200)),
    Column("material", Text),  # canonical JSON of the material as it arrived
    Column("device_time", String(40)),
    Column("monotonic_ms", BigInteger),
    Column("status", String(20), nullable=False),  # verified | the first flag
    Column("flags", JSON, nullable=False, default=list),
    Column("received_at", String(40), nullable=False),
    # clock and location honesty (issue 9, part 2; see services/honesty.py)
    Column("anchored_at", String(40)),  # the event's time by the server's clock, when it can be derived
    Column("anchor", String(10)),  # monotonic | offset: how anchored_at was derived
    Column("lat", Float),
    Column("lon", Float),
    Column("fix_time", String(40)),
    Column("mocked", Boolean),
    Column("honesty", JSON),  # clock_off | clock_jump | impossible_speed | identical_fix | mock_location
)

HONESTY_COLUMNS = ["anchored_at", "anchor", "lat", "lon", "fix_time", "mocked", "honesty"]

# The device's clock against the server's at every push that carried it.
device_clock_samples = Table(
    "device_clock_samples", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("device_id", String(32), nullable=False),
    Column("device_time", String(40), nullable=False),
    Column("server_time", String(40), nullable=False),
    Column("offset_ms", BigInteger, nullable=False),  # device minus server
    Column("monotonic_ms", BigInteger),
    Column("boot", String(64)),
    Column("jumped", Boolean, nullable=False, default=False),  # clock moved against the monotonic one
)

ISSUE9_EVIDENCE_INDEXES = (
    Index("ix_event_evidence_device_seq", event_evidence.c.device_id, event_evidence.c.seq),
    Index("ix_event_evidence_visit", event_evidence.c.visit_id),
)
ISSUE9_HONESTY_INDEXES = (
    Index("ix_event_evidence_officer", event_evidence.c.officer_id, event_evidence.c.received_at),
    Index("ix_device_clock_device", device_clock_samples.c.device_id, device_clock_samples.c.id),
)

wipe_orders = Table(
    "wipe_orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("officer_id", Integer, ForeignKey("officers.id"), nullable=False),
    Column("device_id", String(32)),  # NULL: the officer's phone that syncs first
    Column("force", Boolean, nullable=False, default=False),
    Column("ordered_by", Integer, ForeignKey("officers.id"), nullable=False),
    Column("ordered_at", String(40), nullable=False),
    Column("applied_at", String(40)),
    Column("applied_device", String(32)),
)
