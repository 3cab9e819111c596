"""The phone's offline store (SQLite via sqlite-utils): caches, outbox, blobs, drafts, session.

Public API (all functions take the `sqlite_utils.Database` from `open_store` first):

    open_store(path_or_dir) -> Database                     db.py
    save_session / load_session / clear_session             session.py
    update_tokens / SessionTokens / device_id                session.py
    upsert_* / get_visit / list_visits / get_dossier /
        list_dossiers / get_citizen / get_catalogue / list_units     cache.py
    record_action(db, event, local_visit_update=..., blobs=[...]) -> event_id   actions.py
    save_blob(db, data, mime) -> sha256 / read_blob         blobs.py
    save_draft / load_draft / delete_draft / list_drafts    drafts.py
    outbox.items(db, state) / outbox.counts(db)             outbox.py
    get_sync_state(db)                                      sync_state.py
    pending_counts(db) / wipe_personal_data(db)             wipe.py
    crypto.create_keys / unlock / lock / is_locked (encryption at rest)  crypto.py
    data_generation(db) -> int (changes with any shown data) db.py
    get_setting / set_setting / unit_settings_for              settings.py
    ensure_device_key / get_device_key / seal_event (evidence chain)  device_key.py
"""

from . import blobs, cache, crypto, device_key, drafts, outbox, overrides, session, settings, sync_state
from .actions import AUTO, MissingBlobError, normalise_event, record_action
from .blobs import read_blob, save_blob
from .cache import (
    get_catalogue,
    get_citizen,
    get_dossier,
    get_visit,
    list_dossiers,
    list_units,
    list_visits,
)
from .db import MIGRATIONS, data_generation, migrate, open_store, transaction
from .device_key import DeviceKey, ensure_device_key, get_device_key, mark_registered
from .drafts import Draft, delete_draft, list_drafts, load_draft, save_draft
from .outbox import OutboxItem
from .session import (
    Session,
    SessionTokens,
    clear_session,
    device_id,
    load_session,
    save_session,
    update_tokens,
)
from .settings import get_setting, set_setting, unit_settings_for, upsert_unit_settings
from .sync_state import SyncState, get_sync_state
from .wipe import pending_counts, wipe_personal_data
