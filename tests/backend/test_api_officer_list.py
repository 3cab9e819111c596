"""GET /officers: the desk accounts a field officer may hand dossiers to, and a supervisor's staff list,
scoped by unit, paginated, on SQLite and PostgreSQL over real HTTP (typed client and raw JSON)."""

from __future__ import annotations

from collections.abc import Callable

import builders
import httpx
import pytest
from testkit import LiveServer

from api_client import Client
from api_client.errors import APIStatusError
from api_client.models import Role

Clients = Callable[[str | None], httpx.Client]


# the typed Client over a real socket: a contract slice on SQLite and PostgreSQL
pytestmark = pytest.mark.real_http

def _client(server: LiveServer, username: str) -> Client:
    api = Client(server.url)
    api.login(username, builders.PASSWORD)
    return api


def test_field_officer_sees_only_the_desks_of_their_commune(
    server: LiveServer, world: builders.World
) -> None:
    with server.engine.begin() as conn:
        second_desk = builders.officer(conn, "giam_sat_x2", "supervisor", [world.x["commune"]])
        builders.officer(conn, "giam_sat_x_old", "supervisor", [world.x["commune"]], active=False)
        builders.officer(conn, "giam_sat_tinh", "supervisor", [world.x["province"]])  # not a commune desk
    with _client(server, "can_bo_a") as a:
        desks = a.list_officers(role=Role.SUPERVISOR)
        # not Y's desk, not the inactive one, not the province's supervisor
        assert {o.id for o in desks} == {world.supervisor_x, second_desk}
        assert desks.total == 2
        assert all(o.role == Role.SUPERVISOR and world.x["commune"] in o.unit_ids for o in desks)
        assert all(o.phone is None for o in desks)  # who, not a contact book
        assert {o.id for o in a.list_officers()} == {world.supervisor_x, second_desk}  # role defaults
    with _client(server, "buu_ta") as postal:  # linked to the commune itself, not a hamlet
        assert {o.id for o in postal.list_officers("supervisor")} == {world.supervisor_x, second_desk}


def test_an_officer_of_commune_y_never_sees_commune_x_desks(
    server: LiveServer, world: builders.World
) -> None:
    with server.engine.begin() as conn:
        officer_y = builders.officer(conn, "can_bo_y", "hamlet_officer", [world.y["hamlets"][0]])
    with _client(server, "can_bo_y") as y:
        assert [o.id for o in y.list_officers(role="supervisor")] == [world.supervisor_y]
    with _client(server, "can_bo_a") as a:
        assert world.supervisor_y not in {o.id for o in a.list_officers(role="supervisor")}
        assert officer_y not in {o.id for o in a.list_officers(role="supervisor")}


def test_field_officers_may_not_list_other_field_officers(server: LiveServer, world: builders.World,
                                                            client_for: Clients) -> None:
    r = client_for("can_bo_a").get("/officers", params={"role": "hamlet_officer"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert client_for(None).get("/officers").status_code == 401
    assert client_for("can_bo_a").get("/officers", params={"role": "boss"}).status_code == 422


def test_supervisor_lists_the_officers_of_their_units_of_any_role(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    with _client(server, "giam_sat_x") as sx:
        everyone = sx.list_officers()
        assert {o.id for o in everyone} == {
            world.officer_a, world.officer_b, world.postal, world.supervisor_x
        }
        assert world.supervisor_y not in {o.id for o in everyone}
        hamlet_officers = sx.list_officers(role=Role.HAMLET_OFFICER)
        assert {o.id for o in hamlet_officers} == {world.officer_a, world.officer_b}
        assert [o.id for o in sx.list_officers(role=Role.SUPERVISOR)] == [world.supervisor_x]
    with _client(server, "giam_sat_y") as sy:
        assert [o.id for o in sy.list_officers()] == [world.supervisor_y]


def test_pages_follow_the_names_and_count_the_total(
    server: LiveServer, world: builders.World, client_for: Clients
) -> None:
    r = client_for("giam_sat_x").get("/officers", params={"page": 1, "page_size": 3})
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "4" and len(r.json()) == 3
    rest = client_for("giam_sat_x").get("/officers", params={"page": 2, "page_size": 3}).json()
    names = [o["full_name"] for o in r.json() + rest]
    assert len(rest) == 1 and names == sorted(names)
    assert set(r.json()[0]) >= {"id", "full_name", "username", "role", "unit_ids"}
    bad = client_for("giam_sat_x").get("/officers", params={"page_size": 0})
    assert bad.status_code == 422
    with _client(server, "can_bo_a") as a, pytest.raises(APIStatusError) as refused:
        a.list_officers(role="postal_worker")
    assert refused.value.status_code == 403
