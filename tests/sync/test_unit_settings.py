"""The commune's fee account and lookup page reach the phone with the pull (live server, real HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from testkit import make_settings

from api_client import Client, RetryPolicy
from backend.db.schema import units
from mobile import store
from mobile.services.flow import FlowError
from mobile.services.pickup import PickupService
from mobile.services.receipts import ReceiptStore
from mobile.sync import SyncEngine
from tests import builders

LOOKUP = "https://tracuu.example.vn/ho-so"


@pytest.fixture
def world_server(live_server, tmp_path: Path, db_url: str | None):
    """A live server (SQLite and PostgreSQL) whose public lookup page is LOOKUP, with the standard world."""
    srv = live_server(make_settings(tmp_path, db_url, lookup_base_url=LOOKUP))
    return srv, builders.world(srv.engine)


def _phone(srv, tmp_path: Path) -> tuple[SyncEngine, PickupService]:
    api = Client(srv.url, timeout=10, retry=RetryPolicy.none())
    token = api.login("can_bo_a", builders.PASSWORD)
    db = store.open_store(tmp_path / "phone")
    store.save_session(db, token, srv.url)
    return SyncEngine(db, api), PickupService(db, ReceiptStore(tmp_path / "phone" / "receipts"))


def _set_account(srv, commune_id: int, value: str | None) -> None:
    with srv.engine.begin() as conn:
        conn.execute(update(units).where(units.c.id == commune_id).values(bank_account=value))


def test_account_and_lookup_page_come_from_the_server_and_follow_its_changes(world_server, tmp_path):
    srv, world = world_server
    commune, hamlet = world.x["commune"], world.x["hamlets"][0]
    _set_account(srv, commune, "970418|7611000456789|UBND XA AN PHU")
    engine, pickup = _phone(srv, tmp_path)
    assert pickup.bank_for(commune) is None  # nothing synced yet: no account, never a default

    assert engine.run_once().ok
    s = store.unit_settings_for(pickup.db, hamlet)  # a dossier's hamlet finds its commune
    assert s is not None and s.unit_id == commune and hamlet in s.hamlet_ids
    assert (s.bank_bin, s.bank_account_no, s.bank_account_name, s.bank_name) == (
        "970418", "7611000456789", "UBND XA AN PHU", "BIDV")
    assert s.lookup_url == LOOKUP
    assert pickup.lookup_base(commune) == LOOKUP
    payload, bank = pickup.vietqr(15000, "000.00.21.H01-261202-0001", commune)
    assert bank.account == "7611000456789" and "7611000456789" in payload and "970418" in payload
    assert pickup.check_payment(15000, "transfer", "CK-1", commune)["method"] == "transfer"

    # the commune closes its account: the next (incremental) sync takes it away on the phone
    _set_account(srv, commune, None)
    assert engine.run_once().ok
    assert pickup.bank_for(commune) is None
    assert pickup.vietqr(15000, "000.00.21.H01-261202-0001", commune) is None
    with pytest.raises(FlowError) as err:
        pickup.check_payment(15000, "transfer", "CK-1", commune)
    assert "chỉ thu tiền mặt" in err.value.errors["method"]
    assert pickup.check_payment(15000, "cash", "BL-1", commune)["method"] == "cash"


def test_default_lookup_page_is_the_servers_own(live_server, tmp_path):
    srv = live_server(make_settings(tmp_path, None, public_url="http://127.0.0.1:8123/"))
    builders.world(srv.engine)
    engine, pickup = _phone(srv, tmp_path)
    assert engine.run_once().ok
    assert pickup.lookup_base(None) == "http://127.0.0.1:8123/tra-cuu"
    assert pickup.bank_for(None) is None  # the test world's communes have no account: cash only


def test_a_dossier_of_another_commune_never_gets_this_communes_account(world_server, tmp_path):
    srv, world = world_server
    _set_account(srv, world.x["commune"], "970405|7604201001234|UBND XA AN PHU")
    engine, pickup = _phone(srv, tmp_path)
    assert engine.run_once().ok
    assert pickup.bank_for(world.x["hamlets"][1]).account == "7604201001234"
    assert pickup.bank_for(world.y["commune"]) is None  # not the officer's commune: cash only
    assert pickup.bank_for(world.y["hamlets"][0]) is None
