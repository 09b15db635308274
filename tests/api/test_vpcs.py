"""/vpcs: VPCs and their subnets on the sim driver: create (with subnets), get, list, filter,
update, delete; subnets (private ranges in canonical form, apart from each other and from the
Linodes' private addresses; labels unique in their VPC); events and grants."""
import pytest

from support import assert_error, assert_list, put_grants, restricted_user, unique_label

FIELDS = {"id", "label", "description", "region", "ipv6", "subnets", "created", "updated"}
SUBNET_FIELDS = {"id", "label", "ipv4", "ipv6", "linodes", "databases", "nodebalancers",
                 "created", "updated"}


def vlabel(prefix="vpc"):
    return unique_label(prefix).replace(".", "-").replace("_", "-")[:64]


def create_vpc(srv, **fields):
    body = {"label": vlabel(), "region": "us-iad"}
    body.update(fields)
    r = srv.post("/vpcs", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def events_of(srv, vpc_id, action):
    return srv.get_all("/account/events", filter={"entity.id": vpc_id, "entity.type": "vpc",
                                                  "action": action})


def test_create_get_list_update_delete(sim):
    made = create_vpc(sim, description="shop", subnets=[
        {"label": "web", "ipv4": "10.0.1.0/24"}, {"label": "db", "ipv4": "172.16.0.0/20"}])
    assert set(made) == FIELDS
    assert made["region"] == "us-iad"
    assert [(s["label"], s["ipv4"]) for s in made["subnets"]] == [
        ("web", "10.0.1.0/24"), ("db", "172.16.0.0/20")]
    assert all(set(s) == SUBNET_FIELDS and s["linodes"] == [] for s in made["subnets"])
    assert sim.get(f"/vpcs/{made['id']}").json() == made
    for f in ({"label": made["label"]}, {"region": "us-iad", "id": made["id"]},
              {"description": "shop", "label": made["label"]}):
        assert assert_list(sim.get("/vpcs", filter=f), 1) == [made], f
    r = sim.put(f"/vpcs/{made['id']}", json={"label": vlabel("renamed"), "description": "store"})
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "store" and r.json()["subnets"] == made["subnets"]
    assert sim.delete(f"/vpcs/{made['id']}").json() == {}
    assert_error(sim.get(f"/vpcs/{made['id']}"), 404)
    for action in ("vpc_create", "vpc_update", "vpc_delete"):
        assert [e["entity"]["url"] for e in events_of(sim, made["id"], action)] == [
            f"/v4/vpcs/{made['id']}"], action
    subnet_events = sim.get_all("/account/events", filter={"entity.id": made["id"],
                                                           "action": "subnet_create"})
    assert sorted(e["secondary_entity"]["label"] for e in subnet_events) == ["db", "web"]


@pytest.mark.parametrize("body,field", [
    ({"region": "us-iad"}, "label"),
    ({"label": "a--b", "region": "us-iad"}, "label"),
    ({"label": "x" * 65, "region": "us-iad"}, "label"),
    ({"label": "ok"}, "region"),
    ({"label": "ok", "region": "nowhere-1"}, "region"),
    ({"label": "ok", "region": "us-east"}, "region"),  # a region without VPCs
    ({"label": "ok", "region": "us-iad", "description": "d" * 256}, "description"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "8.8.8.0/24"}]},
     "subnets[0].ipv4"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "10.0.0.1/24"}]},
     "subnets[0].ipv4"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "10.0.0.0/30"}]},
     "subnets[0].ipv4"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "192.168.200.0/24"}]},
     "subnets[0].ipv4"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "10.0.0.0/16"},
                                                      {"label": "b", "ipv4": "10.0.5.0/24"}]},
     "subnets[1].ipv4"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"label": "a", "ipv4": "10.0.0.0/24"},
                                                      {"label": "a", "ipv4": "10.1.0.0/24"}]},
     "subnets[1].label"),
    ({"label": "ok", "region": "us-iad", "subnets": [{"ipv4": "10.0.0.0/24"}]}, "subnets[0]"),
])
def test_create_checks_every_field(sim, body, field):
    before = len(sim.get_all("/vpcs"))
    assert_error(sim.post("/vpcs", json=body), 400, field)
    assert len(sim.get_all("/vpcs")) == before


def test_subnets(sim):
    v = create_vpc(sim, subnets=[{"label": "first", "ipv4": "10.10.0.0/24"}])
    base = f"/vpcs/{v['id']}/subnets"
    r = sim.post(base, json={"label": "second", "ipv4": "10.10.1.0/24"})
    assert r.status_code == 200, r.text
    second = r.json()
    assert_error(sim.post(base, json={"label": "third", "ipv4": "10.10.0.128/25"}), 400, "ipv4")
    assert_error(sim.post(base, json={"label": "second", "ipv4": "10.20.0.0/24"}), 400, "label")
    assert_error(sim.post(base, json={"label": "third"}), 400, "ipv4")
    assert [s["label"] for s in sim.get_all(base)] == ["first", "second"]
    assert [s["label"] for s in sim.get_all(base, filter={"label": "second"})] == ["second"]
    r = sim.put(f"{base}/{second['id']}", json={"label": "renamed"})
    assert r.status_code == 200 and r.json()["label"] == "renamed"
    assert r.json()["ipv4"] == "10.10.1.0/24"
    assert_error(sim.put(f"{base}/{second['id']}", json={"label": "first"}), 400, "label")
    assert sim.get(f"{base}/{second['id']}").json()["label"] == "renamed"
    assert sim.delete(f"{base}/{second['id']}").json() == {}
    assert_error(sim.get(f"{base}/{second['id']}"), 404)
    # A subnet of another VPC is not found under this one.
    other = create_vpc(sim, subnets=[{"label": "x", "ipv4": "10.30.0.0/24"}])
    assert_error(sim.get(f"{base}/{other['subnets'][0]['id']}"), 404)
    # A label may be another VPC's, not another of the account's VPCs.
    assert_error(sim.post("/vpcs", json={"label": v["label"], "region": "us-iad"}), 400, "label")


def test_restricted_users_need_grants(sim):
    username, token = restricted_user(sim, "vpc")
    assert_error(sim.post("/vpcs", token=token, json={"label": vlabel(), "region": "us-iad"}),
                 403)
    theirs = create_vpc(sim)
    assert sim.get_all("/vpcs", token=token) == []
    assert_error(sim.get(f"/vpcs/{theirs['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_vpcs": True}},
               vpc=[{"id": theirs["id"], "permissions": "read_only"}])
    assert sim.get(f"/vpcs/{theirs['id']}", token=token).status_code == 200
    assert_error(sim.put(f"/vpcs/{theirs['id']}", token=token, json={"label": "x"}), 403)
    made = sim.post("/vpcs", token=token, json={"label": vlabel(), "region": "us-iad"})
    assert made.status_code == 200, made.text
    grants = sim.get(f"/account/users/{username}/grants").json()
    assert {"id": made.json()["id"], "label": made.json()["label"],
            "permissions": "read_write"} in grants["vpc"]
