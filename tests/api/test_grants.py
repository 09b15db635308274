"""Grants and restricted users: /account/users/{username}/grants (get, update), /profile/grants
(204 for unrestricted users), and what a restricted user sees and may do with Linodes, the
account and events."""
import pytest

from support import (SETTLED, assert_error, assert_list, create_linode, put_grants,
                     restricted_user, unique_label)

ENTITY_TYPES = ["database", "domain", "firewall", "image", "linode", "longview", "nodebalancer",
                "placement_group", "stackscript", "volume", "vpc"]
GLOBAL = {"account_access": None, "add_databases": False, "add_domains": False,
          "add_firewalls": False, "add_images": False, "add_linodes": False,
          "add_longview": False, "add_nodebalancers": False, "add_placement_groups": False,
          "add_stackscripts": False, "add_volumes": False, "add_vpcs": False,
          "cancel_account": False, "child_account_access": False,
          "longview_subscription": False}
FORBIDDEN = {"errors": [{"reason": "Unauthorized"}]}


def assert_forbidden(resp):
    assert resp.status_code == 403, f"{resp.status_code} {resp.text}"
    assert resp.json() == FORBIDDEN


def grant_of(grants, linode_id):
    return next(g for g in grants["linode"] if g["id"] == linode_id)


def linode_ids(server, token):
    return {l["id"] for l in server.get_all("/linode/instances", token=token)}


@pytest.fixture
def linodes(server):
    """Three Linodes made by the unrestricted user."""
    return [create_linode(server) for _ in range(3)]


# --- reading and writing grants ------------------------------------------------------------------

def test_unrestricted_users_have_no_grants(server):
    me = server.get("/profile").json()["username"]
    r = server.get(f"/account/users/{me}/grants")
    assert r.status_code == 204 and r.content == b""
    r = server.get("/profile/grants")
    assert r.status_code == 204 and r.content == b""


def test_a_new_restricted_user_holds_nothing_and_sees_every_linode_listed(server, linodes):
    name, _ = restricted_user(server)
    r = server.get(f"/account/users/{name}/grants")
    assert r.status_code == 200, r.text
    grants = r.json()
    assert list(grants) == ["global"] + ENTITY_TYPES
    assert grants["global"] == GLOBAL
    for t in ENTITY_TYPES:
        assert isinstance(grants[t], list)
    for linode in linodes:
        assert grant_of(grants, linode["id"]) == {"id": linode["id"], "label": linode["label"],
                                                  "permissions": None}


def test_update_round_trips_and_leaves_omitted_grants_alone(server, linodes):
    name, _ = restricted_user(server)
    a, b, _c = linodes
    doc = put_grants(server, name, **{"global": {"add_linodes": True, "account_access": "read_only"},
                                      "linode": [{"id": a["id"], "permissions": "read_only"},
                                                 {"id": b["id"], "permissions": "read_write"}]})
    assert doc["global"] == dict(GLOBAL, add_linodes=True, account_access="read_only")
    assert grant_of(doc, a["id"])["permissions"] == "read_only"
    assert grant_of(doc, b["id"])["permissions"] == "read_write"
    assert server.get(f"/account/users/{name}/grants").json() == doc
    # Only the global part: the Linode grants stay.
    doc = put_grants(server, name, **{"global": {"add_linodes": False}})
    assert doc["global"] == dict(GLOBAL, account_access="read_only")
    assert grant_of(doc, a["id"])["permissions"] == "read_only"
    # A null permission takes access away.
    doc = put_grants(server, name, linode=[{"id": a["id"], "permissions": None}])
    assert grant_of(doc, a["id"])["permissions"] is None
    assert grant_of(doc, b["id"])["permissions"] == "read_write"


@pytest.mark.parametrize("body,field", [
    ({"global": {"add_everything": True}}, "global.add_everything"),
    ({"global": {"add_linodes": "yes"}}, "global.add_linodes"),
    ({"global": {"account_access": "admin"}}, "global.account_access"),
    ({"global": []}, "global"),
    ({"linode": {"id": 1}}, "linode"),
    ({"linode": [{"id": 999999, "permissions": "read_only"}]}, "linode"),
    ({"linode": [{"permissions": "read_only"}]}, "linode"),
    ({"domain": [{"id": 99999999, "permissions": "read_only"}]}, "domain"),
    ({"nodebalancer": [{"id": 99999999, "permissions": "read_only"}]}, "nodebalancer"),
])
def test_update_refuses_bad_grants(server, body, field):
    name, _ = restricted_user(server)
    assert_error(server.put(f"/account/users/{name}/grants", json=body), 400, field=field)
    assert server.get(f"/account/users/{name}/grants").json()["global"] == GLOBAL


def test_bad_permission_is_refused(server, linodes):
    name, _ = restricted_user(server)
    body = {"linode": [{"id": linodes[0]["id"], "permissions": "owner"}]}
    assert_error(server.put(f"/account/users/{name}/grants", json=body), 400, field="linode")


def test_grants_of_unrestricted_or_unknown_users(server):
    me = server.get("/profile").json()["username"]
    assert_error(server.put(f"/account/users/{me}/grants", json={"global": {}}), 400)
    assert_error(server.get("/account/users/nosuchuser404/grants"), 404)
    assert_error(server.put("/account/users/nosuchuser404/grants", json={}), 404)


def test_restricted_users_may_not_read_or_set_grants(server):
    name, token = restricted_user(server)
    put_grants(server, name, **{"global": {"account_access": "read_write"}})
    assert_forbidden(server.get(f"/account/users/{name}/grants", token=token))
    assert_forbidden(server.put(f"/account/users/{name}/grants", token=token,
                                json={"global": {"add_linodes": True}}))


def test_profile_grants_show_only_what_is_granted(server, linodes):
    name, token = restricted_user(server)
    a = linodes[0]
    put_grants(server, name, **{"global": {"add_images": True},
                                "linode": [{"id": a["id"], "permissions": "read_only"}]})
    r = server.get("/profile/grants", token=token)
    assert r.status_code == 200, r.text
    grants = r.json()
    assert grants["global"] == dict(GLOBAL, add_images=True)
    assert grants["linode"] == [{"id": a["id"], "label": a["label"], "permissions": "read_only"}]
    # No scope is needed.
    narrow = server.make_token("events:read_only", user=name)
    assert server.get("/profile/grants", token=narrow).status_code == 200


def test_making_a_user_restricted_starts_it_with_no_grants(server, linodes):
    name, _ = restricted_user(server)
    put_grants(server, name, **{"global": {"add_linodes": True},
                                "linode": [{"id": linodes[0]["id"], "permissions": "read_write"}]})
    assert server.put(f"/account/users/{name}", json={"restricted": False}).status_code == 200
    assert server.get(f"/account/users/{name}/grants").status_code == 204
    assert server.put(f"/account/users/{name}", json={"restricted": True}).status_code == 200
    grants = server.get(f"/account/users/{name}/grants").json()
    assert grants["global"] == GLOBAL
    assert grant_of(grants, linodes[0]["id"])["permissions"] is None


# --- restricted users and Linodes ---------------------------------------------------------------

def test_a_restricted_user_lists_only_granted_linodes(server, linodes):
    name, token = restricted_user(server)
    a, b, c = linodes
    assert linode_ids(server, token) == set()
    put_grants(server, name, linode=[{"id": a["id"], "permissions": "read_only"},
                                     {"id": b["id"], "permissions": "read_write"}])
    assert linode_ids(server, token) == {a["id"], b["id"]}
    data = assert_list(server.get("/linode/instances", token=token, filter={"id": c["id"]}), 0)
    assert data == []
    # The unrestricted user still sees all three.
    assert {a["id"], b["id"], c["id"]} <= linode_ids(server, server.token)


def test_no_grant_means_403_on_every_linode_route(server, linodes):
    _, token = restricted_user(server)
    lid = linodes[0]["id"]
    for method, path, body in [
            ("GET", f"/linode/instances/{lid}", None),
            ("PUT", f"/linode/instances/{lid}", {"label": unique_label()}),
            ("DELETE", f"/linode/instances/{lid}", None),
            ("POST", f"/linode/instances/{lid}/boot", {}),
            ("POST", f"/linode/instances/{lid}/shutdown", {}),
            ("GET", f"/linode/instances/{lid}/disks", None),
            ("GET", f"/linode/instances/{lid}/configs", None),
            ("GET", f"/linode/instances/{lid}/ips", None)]:
        assert_forbidden(server.request(method, path, token=token, json=body))
    assert server.get(f"/linode/instances/{lid}").status_code == 200


def test_an_unknown_linode_is_still_404_for_a_restricted_user(server):
    _, token = restricted_user(server)
    assert_error(server.get("/linode/instances/99999999", token=token), 404)
    assert_error(server.post("/linode/instances/99999999/boot", token=token, json={}), 404)


def test_read_only_reads_but_cannot_act(server, linodes):
    name, token = restricted_user(server)
    linode = linodes[0]
    lid = linode["id"]
    put_grants(server, name, linode=[{"id": lid, "permissions": "read_only"}])
    r = server.get(f"/linode/instances/{lid}", token=token)
    assert r.status_code == 200 and r.json()["label"] == linode["label"]
    assert server.get(f"/linode/instances/{lid}/disks", token=token).status_code == 200
    assert server.get(f"/linode/instances/{lid}/ips", token=token).status_code == 200
    assert_forbidden(server.put(f"/linode/instances/{lid}", token=token,
                                json={"label": unique_label()}))
    assert_forbidden(server.post(f"/linode/instances/{lid}/boot", token=token, json={}))
    assert_forbidden(server.post(f"/linode/instances/{lid}/reboot", token=token, json={}))
    assert_forbidden(server.delete(f"/linode/instances/{lid}", token=token))
    assert_forbidden(server.post(f"/linode/instances/{lid}/configs", token=token,
                                 json={"label": "c", "devices": {}}))
    assert server.get(f"/linode/instances/{lid}").json()["label"] == linode["label"]


def test_read_write_may_act(server, linodes):
    name, token = restricted_user(server)
    lid = linodes[0]["id"]
    put_grants(server, name, linode=[{"id": lid, "permissions": "read_write"}])
    label = unique_label()
    r = server.put(f"/linode/instances/{lid}", token=token, json={"label": label})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == label


def test_creating_a_linode_needs_add_linodes_and_gives_the_creator_read_write(server):
    name, token = restricted_user(server)
    body = {"region": "us-east", "type": "g6-nanode-1", "label": unique_label()}
    assert_forbidden(server.post("/linode/instances", token=token, json=body))
    put_grants(server, name, **{"global": {"add_linodes": True}})
    r = server.post("/linode/instances", token=token, json=body)
    assert r.status_code == 200, r.text
    lid = r.json()["id"]
    assert linode_ids(server, token) == {lid}
    grants = server.get("/profile/grants", token=token).json()
    assert grants["linode"] == [{"id": lid, "label": body["label"], "permissions": "read_write"}]
    r = server.put(f"/linode/instances/{lid}", token=token, json={"tags": ["mine"]})
    assert r.status_code == 200, r.text


def test_cloning_into_a_new_linode_needs_add_linodes(instant):
    source = create_linode(instant, wait=SETTLED)
    name, token = restricted_user(instant)
    put_grants(instant, name, linode=[{"id": source["id"], "permissions": "read_write"}])
    body = {"region": "us-east", "type": "g6-nanode-1", "label": unique_label()}
    assert_forbidden(instant.post(f"/linode/instances/{source['id']}/clone", token=token,
                                  json=body))
    put_grants(instant, name, **{"global": {"add_linodes": True}})
    r = instant.post(f"/linode/instances/{source['id']}/clone", token=token, json=body)
    assert r.status_code == 200, r.text
    assert linode_ids(instant, token) == {source["id"], r.json()["id"]}


def test_restricted_networking_and_tags_show_only_granted_linodes(server, linodes):
    name, token = restricted_user(server)
    a, b, _ = linodes
    put_grants(server, name, linode=[{"id": a["id"], "permissions": "read_only"}])
    ips = server.get_all("/networking/ips", token=token)
    assert ips and {ip["linode_id"] for ip in ips} == {a["id"]}
    tag = "t" + name
    for linode in (a, b):
        server.put(f"/linode/instances/{linode['id']}", json={"tags": [tag]})
    # Tags are for unrestricted users only, whatever they grant.
    assert_forbidden(server.get(f"/tags/{tag}", token=token))
    mine, theirs = a["ipv4"][0], b["ipv4"][0]
    assert server.get(f"/networking/ips/{mine}", token=token).status_code == 200
    assert_forbidden(server.get(f"/networking/ips/{theirs}", token=token))
    assert_forbidden(server.put(f"/networking/ips/{mine}", token=token, json={"rdns": None}))


# --- the account and events ----------------------------------------------------------------------

def test_account_needs_account_access(server):
    name, token = restricted_user(server)
    assert_forbidden(server.get("/account", token=token))
    assert_forbidden(server.get("/account/settings", token=token))
    put_grants(server, name, **{"global": {"account_access": "read_only"}})
    assert server.get("/account", token=token).status_code == 200
    assert server.get("/account/settings", token=token).status_code == 200
    assert_forbidden(server.put("/account", token=token, json={"city": "Lyon"}))
    assert_forbidden(server.put("/account/settings", token=token, json={"network_helper": True}))
    put_grants(server, name, **{"global": {"account_access": "read_write"}})
    r = server.put("/account/settings", token=token, json={"network_helper": True})
    assert r.status_code == 200, r.text


def test_a_restricted_user_sees_only_events_of_linodes_it_may_read(server, linodes):
    name, token = restricted_user(server)
    a, b, _ = linodes
    assert server.get_all("/account/events", token=token) == []
    put_grants(server, name, linode=[{"id": a["id"], "permissions": "read_only"}])
    events = server.get_all("/account/events", token=token)
    assert events and {(e["entity"]["type"], e["entity"]["id"]) for e in events} == {
        ("linode", a["id"])}
    other = server.get_all("/account/events",
                           filter={"entity.id": b["id"], "entity.type": "linode"})
    assert other
    assert_error(server.get(f"/account/events/{other[0]['id']}", token=token), 404)
    assert server.get(f"/account/events/{events[0]['id']}", token=token).status_code == 200
