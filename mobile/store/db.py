"""Open the phone's SQLite store (WAL) and apply its migrations, each exactly once.

The store lives in one directory: `doorstep.db` plus `blobs/<sha256>` files. In production
the directory is `os.environ["FLET_APP_STORAGE_DATA"]`; tests pass a tmp dir or ":memory:"
(an in-memory store keeps blob bytes inline instead of in files).

Migrations are append-only: never edit one that shipped, add a new entry instead, because
phones in the field upgrade from any older version.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from api_client.domain.clock import now_utc

from .crypto import install_functions

DB_FILENAME = "doorstep.db"
MEMORY = ":memory:"

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def _sql(*statements: str) -> Callable[[sqlite_utils.Database], None]:
    def run(db: sqlite_utils.Database) -> None:
        for statement in statements:
            db.execute(statement)

    return run


_INITIAL = _sql(
    """CREATE TABLE session (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        officer TEXT NOT NULL,
        token TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        backend_url TEXT NOT NULL,
        saved_at TEXT NOT NULL)""",
    # Caches mirror the server exactly; local optimism lives in visit_overrides.
    """CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        planned_date TEXT,
        status TEXT,
        kind TEXT,
        assignee_id INTEGER,
        dossier_id INTEGER,
        citizen_id INTEGER,
        search TEXT NOT NULL DEFAULT '',
        version INTEGER,
        updated_at TEXT)""",
    "CREATE INDEX visits_planned_date ON visits (planned_date)",
    "CREATE INDEX visits_status ON visits (status)",
    "CREATE INDEX visits_kind ON visits (kind)",
    "CREATE INDEX visits_assignee ON visits (assignee_id)",
    "CREATE INDEX visits_dossier ON visits (dossier_id)",
    "CREATE INDEX visits_citizen ON visits (citizen_id)",
    """CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        code TEXT,
        status INTEGER,
        citizen_id INTEGER,
        search TEXT NOT NULL DEFAULT '',
        updated_at TEXT)""",
    "CREATE INDEX dossiers_status ON dossiers (status)",
    "CREATE INDEX dossiers_code ON dossiers (code)",
    """CREATE TABLE citizens (
        id INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        full_name TEXT,
        id_number TEXT,
        search TEXT NOT NULL DEFAULT '',
        updated_at TEXT)""",
    """CREATE TABLE catalogues (
        version INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        published_at TEXT)""",
    """CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        parent_id INTEGER,
        level TEXT)""",
    """CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        visit_id INTEGER,
        body TEXT NOT NULL,
        blob_shas TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued', 'sent', 'dead', 'conflict', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        result TEXT,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT)""",
    "CREATE INDEX outbox_state ON outbox (state, seq)",
    "CREATE INDEX outbox_visit ON outbox (visit_id)",
    "CREATE VIEW dead_letters AS SELECT * FROM outbox WHERE state = 'dead'",
    """CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        path TEXT,
        data BLOB,
        size INTEGER NOT NULL,
        mime TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'uploaded', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        uploaded_at TEXT)""",
    "CREATE INDEX blobs_state ON blobs (state)",
    """CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor TEXT NOT NULL DEFAULT '',
        last_success_at TEXT,
        last_attempt_at TEXT,
        last_error TEXT)""",
    "INSERT INTO sync_state (id, cursor) VALUES (1, '')",
    """CREATE TABLE drafts (
        visit_id INTEGER PRIMARY KEY,
        step TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    # What the officer did but the server has not confirmed: shown over the cached row.
    """CREATE TABLE visit_overrides (
        visit_id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        dossier_id INTEGER,
        visit_patch TEXT NOT NULL,
        dossier_patch TEXT,
        created_at TEXT NOT NULL)""",
)

# Duty tracking (issue 5): breadcrumbs wait here until frozen into a batch (batch_id set);
# a frozen batch keeps its id and body for every retry, so the server can dedupe it.
_BREADCRUMBS = _sql(
    """CREATE TABLE breadcrumbs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        recorded_at TEXT NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        accuracy_m REAL NOT NULL,
        batch_id TEXT)""",
    "CREATE INDEX breadcrumbs_batch ON breadcrumbs (batch_id, id)",
    """CREATE TABLE duty (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        on_duty INTEGER NOT NULL DEFAULT 0,
        changed_at TEXT)""",
    "INSERT INTO duty (id, on_duty) VALUES (1, 0)",
    """CREATE TABLE duty_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        on_duty INTEGER NOT NULL,
        batch_id TEXT)""",
    """CREATE TABLE track_batches (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        points INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT)""",
    "CREATE INDEX track_batches_state ON track_batches (state, created_at)",
)



def _search_names(db: sqlite_utils.Database) -> None:
    """Visits' folded search text gains the hamlet and procedure names the route search covers."""
    from .cache import refresh_search  # cache imports this module: import at run time

    refresh_search(db, every=True)


# What the screens show comes from these tables; any write to them, from any connection (the UI's
# or the sync engine's), bumps one counter, so a screen can cache its rows and re-read only when
# the data really changed (breadcrumbs, drafts, the outbox and sync bookkeeping do not count).
SHOWN_TABLES = ("visits", "dossiers", "citizens", "visit_overrides", "units", "catalogues")

_GENERATION = _sql(
    "CREATE TABLE data_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL DEFAULT 0)",
    "INSERT INTO data_generation (id, n) VALUES (1, 0)",
    *(
        f"CREATE TRIGGER {table}_{op.lower()}_generation AFTER {op} ON {table}"
        " BEGIN UPDATE data_generation SET n = n + 1 WHERE id = 1; END"
        for table in SHOWN_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    ),
)

# issue 9: the session keeps the refresh token (short access tokens are renewed while online; the
# officer works offline for days on the refresh token's lifetime); the install's device id stays
# across logouts, so the server's device list shows one row per phone.
_REFRESH = _sql(
    "ALTER TABLE session ADD COLUMN refresh_token TEXT",
    "ALTER TABLE session ADD COLUMN refresh_expires_at TEXT",
    "CREATE TABLE device (id INTEGER PRIMARY KEY CHECK (id = 1), device_id TEXT NOT NULL)",
    "INSERT INTO device (id, device_id) VALUES (1, lower(hex(randomblob(16))))",
)

# Issue 8: the server address set on the first-run screen (an installed phone has no environment
# variables), and the settings of the officer's communes (fee account, lookup page) from the pull.
_DEVICE_SETTINGS = _sql(
    """CREATE TABLE device_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE unit_settings (
        unit_id INTEGER PRIMARY KEY,
        body TEXT NOT NULL)""",
)

# Issue 9: the evidence key and its hash chain (see device_key.py).
_DEVICE_KEY = _sql(
    """CREATE TABLE device_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        device_id TEXT NOT NULL,
        officer_id INTEGER NOT NULL,
        private_key BLOB NOT NULL,
        public_key TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0,
        last_digest TEXT NOT NULL,
        created_at TEXT NOT NULL,
        registered_at TEXT)""",
)

# Issue 9: the data key, wrapped by the officer's password (see crypto.py).
_STORE_KEYS = _sql(
    """CREATE TABLE store_keys (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        username TEXT NOT NULL,
        salt BLOB NOT NULL,
        n INTEGER NOT NULL,
        r INTEGER NOT NULL,
        p INTEGER NOT NULL,
        wrapped BLOB NOT NULL)""",
)

MIGRATIONS: list[Migration] = [
    ("0001_initial", _INITIAL),
    ("0002_breadcrumbs", _BREADCRUMBS),
    ("0003_search_hamlet_procedure", _search_names),
    ("0004_data_generation", _GENERATION),
    ("0005_refresh_token_device_id", _REFRESH),
    ("0006_device_settings", _DEVICE_SETTINGS),
    # issue 9 evidence and encryption came from another branch as 0005/0006: renumbered after main's
    ("0007_device_key", _DEVICE_KEY),
    ("0008_store_keys", _STORE_KEYS),
]


def data_generation(db: sqlite_utils.Database) -> int:
    """A counter that changes whenever anything a screen shows (visits, dossiers, ...) was written."""
    return int(db.execute("SELECT n FROM data_generation WHERE id = 1").fetchone()[0])


def now_iso() -> str:
    """Current UTC time as ISO-8601 (what every timestamp column of the store holds)."""
    return now_utc().isoformat(timespec="seconds")


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction taking the write lock up front (BEGIN IMMEDIATE); nested: a savepoint.

    The UI and the sync engine use two connections to one WAL file. A deferred BEGIN that
    reads first can fail at once with SQLITE_BUSY when it upgrades to write after the other
    connection committed; IMMEDIATE waits (busy timeout) for the lock instead.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise


def migrate(db: sqlite_utils.Database, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations not yet recorded in `_migrations`; return the names applied now."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row["name"] for row in db.query("SELECT name FROM _migrations")}
    applied = []
    for name, step in migrations if migrations is not None else MIGRATIONS:
        if name in done:
            continue
        # One transaction per migration: a crash mid-way leaves the previous schema intact.
        with transaction(db):
            step(db)
            db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, now_iso()])
        applied.append(name)
    return applied


def open_store(path_or_dir: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the store in a directory, a `.db` file, or ":memory:"; migrate it."""
    if str(path_or_dir) == MEMORY:
        conn = sqlite3.connect(MEMORY, check_same_thread=False)
    else:
        path = Path(path_or_dir)
        if path.suffix != ".db":
            path.mkdir(parents=True, exist_ok=True)
            path = path / DB_FILENAME
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        # The UI may run the sync engine on a worker thread; callers serialise access.
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=15)
    db = sqlite_utils.Database(conn)
    if str(path_or_dir) != MEMORY:
        db.enable_wal()
        # FULL: a recorded pickup must survive a power cut (a flat battery in the field),
        # not only an app crash; the cost is one more fsync per action.
        db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    # deleted rows are zeroed, so a logout or a wipe leaves no old page to recover
    db.execute("PRAGMA secure_delete=ON")
    # enc()/dec() first: migrations read and write through them
    install_functions(db, f"memory:{id(conn)}" if str(path_or_dir) == MEMORY else str(path.resolve()))
    migrate(db)
    install_functions(db, store_key_ident(db))  # now the key table exists: note whether it is encrypted
    return db


def store_key_ident(db: sqlite_utils.Database) -> str:
    """The name this store goes by in the in-memory keyring."""
    return str(db.doorstep_ident)  # type: ignore[attr-defined]


def store_dir(db: sqlite_utils.Database) -> Path | None:
    """Directory holding the store's database file, or None for an in-memory store."""
    for row in db.query("PRAGMA database_list"):
        if row["name"] == "main" and row["file"]:
            return Path(row["file"]).parent
    return None


def blob_dir(db: sqlite_utils.Database) -> Path | None:
    """Directory of blob files (created on demand), or None for an in-memory store."""
    base = store_dir(db)
    if base is None:
        return None
    path = base / "blobs"
    path.mkdir(parents=True, exist_ok=True)
    return path
