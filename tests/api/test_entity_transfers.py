"""Entity transfers: account A offers Linodes under a token; B reads the offer by its token,
cannot cancel it, and accepts it (an unrestricted user only); the Linodes then are B's with their
disks, addresses, tags and events, out of A's firewalls, under a label free in B. A may cancel a
pending offer; an offer is accepted once; /account/service-transfers is the same."""
import re

from support import (account_user, assert_error, create_account, create_from_image,
                     unique_label, unique_username)


def offer(srv, linodes, token=None, kind="entity"):
    kw = {} if token is None else {"token": token}
    return srv.post(f"/account/{kind}-transfers", json={"entities": {"linodes": linodes}}, **kw)


def test_a_linode_moves_to_the_accepting_account(instant):
    a = instant
    b_owner = unique_username("recv")
    b = dict(token=create_account(a.data_dir, b_owner))
    tag = unique_label("xfer")
    linode = create_from_image(a, tags=[tag])
    fw = a.post("/networking/firewalls", json={
        "label": unique_label("xfw").replace(".", "-")[:32], "rules": {
            "inbound_policy": "ACCEPT", "outbound_policy": "ACCEPT"},
        "devices": {"linodes": [linode["id"]]}})
    assert fw.status_code == 200, fw.text
    disks = a.get_all(f"/linode/instances/{linode['id']}/disks")

    r = offer(a, [linode["id"]])
    assert r.status_code == 200, r.text
    t = r.json()
    assert set(t) == {"token", "status", "created", "updated", "expiry", "is_sender", "entities"}
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}",
                        t["token"])
    assert t["status"] == "pending" and t["is_sender"] is True
    assert t["entities"] == {"linodes": [linode["id"]]}
    assert t["expiry"] > t["created"]
    # A Linode is in one pending offer at a time; only one's own Linodes are offered.
    assert_error(offer(a, [linode["id"]]), 400, "entities.linodes")
    assert_error(offer(a, []), 400, "entities.linodes")
    assert_error(offer(a, [987654321]), 400, "entities.linodes")
    assert_error(a.post("/account/entity-transfers", json={"entities": {"domains": [1]}}), 400)
    assert [x["token"] for x in a.get_all("/account/entity-transfers",
                                          filter={"is_sender": True})].count(t["token"]) == 1

    # B reads it by its token, but it is not B's to cancel, nor in B's list yet.
    seen = a.get(f"/account/entity-transfers/{t['token']}", **b).json()
    assert seen["is_sender"] is False and seen["status"] == "pending"
    assert_error(a.delete(f"/account/entity-transfers/{t['token']}", **b), 404)
    assert all(x["token"] != t["token"] for x in a.get_all("/account/entity-transfers", **b))
    assert_error(a.post(f"/account/entity-transfers/{t['token']}/accept"), 400)
    restricted = account_user(a.data_dir, b_owner, unique_username("rr"))
    assert_error(a.post(f"/account/entity-transfers/{t['token']}/accept", token=restricted), 403)
    assert_error(a.post("/account/entity-transfers/NOPE/accept", **b), 404)

    assert a.post(f"/account/entity-transfers/{t['token']}/accept", **b).json() == {}
    moved = a.get(f"/linode/instances/{linode['id']}", **b).json()
    assert moved["label"] == linode["label"] and moved["ipv4"] == linode["ipv4"]
    assert moved["tags"] == [tag]
    assert a.get_all(f"/linode/instances/{linode['id']}/disks", **b) == disks
    assert_error(a.get(f"/linode/instances/{linode['id']}"), 404)
    # Its events went with it; A's firewall let it go.
    events = a.get_all("/account/events", filter={"entity.id": linode["id"],
                                                  "entity.type": "linode"}, **b)
    assert "linode_create" in {e["action"] for e in events}
    assert a.get_all("/account/events", filter={"entity.id": linode["id"],
                                                "entity.type": "linode"}) == []
    assert a.get(f"/networking/firewalls/{fw.json()['id']}/devices").json()["data"] == []
    assert tag in {x["label"] for x in a.get_all("/tags", **b)}
    done = a.get(f"/account/entity-transfers/{t['token']}").json()
    assert done["status"] == "completed"
    assert [x["status"] for x in a.get_all("/account/entity-transfers", **b)
            if x["token"] == t["token"]] == ["completed"]
    assert_error(a.post(f"/account/entity-transfers/{t['token']}/accept", **b), 400)
    # B can act on it as its own.
    assert a.put(f"/linode/instances/{linode['id']}", json={"label": unique_label("mine")},
                 **b).status_code == 200


def test_a_taken_label_and_a_cancelled_offer(instant):
    a = instant
    b = dict(token=create_account(a.data_dir, unique_username("recv")))
    linode = create_from_image(a)
    r = a.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                           "label": linode["label"]}, **b)
    assert r.status_code == 200, r.text
    t = offer(a, [linode["id"]], kind="service").json()
    assert a.get(f"/account/entity-transfers/{t['token']}").json()["entities"] == {
        "linodes": [linode["id"]]}
    assert a.post(f"/account/service-transfers/{t['token']}/accept", **b).json() == {}
    assert a.get(f"/linode/instances/{linode['id']}", **b).json()["label"] == \
        linode["label"] + "-2"

    other = create_from_image(a)
    t = offer(a, [other["id"]]).json()
    assert a.delete(f"/account/entity-transfers/{t['token']}").json() == {}
    assert a.get(f"/account/entity-transfers/{t['token']}").json()["status"] == "canceled"
    assert_error(a.delete(f"/account/entity-transfers/{t['token']}"), 400)
    assert_error(a.post(f"/account/entity-transfers/{t['token']}/accept", **b), 400)
    assert a.get(f"/linode/instances/{other['id']}").status_code == 200
    # Cancelled, the Linode may be offered again.
    assert offer(a, [other["id"]]).status_code == 200


def test_only_unrestricted_users_deal_in_transfers(instant):
    a = instant
    owner = a.get("/profile").json()["username"]
    restricted = account_user(a.data_dir, owner, unique_username("tr"))
    linode = create_from_image(a)
    for r in (offer(a, [linode["id"]], token=restricted),
              a.get("/account/entity-transfers", token=restricted)):
        assert_error(r, 403)
    t = offer(a, [linode["id"]]).json()
    assert_error(a.delete(f"/account/entity-transfers/{t['token']}", token=restricted), 403)
    assert a.get(f"/account/entity-transfers/{t['token']}").json()["status"] == "pending"


def test_a_linode_on_a_vlan_or_behind_a_nodebalancer_stays(instant):
    # In an account of its own: the shared server's first account has no NodeBalancer events.
    a = instant
    me = create_account(a.data_dir, unique_username("xs"))

    def linode(**fields):
        r = a.post("/linode/instances", json={"region": "us-east", "type": "g6-nanode-1",
                                              **fields}, token=me)
        assert r.status_code == 200, r.text
        return r.json()

    on_vlan = linode(image="linode/debian12", root_pass="R00t-pass-word!", interfaces=[
        {"purpose": "public"}, {"purpose": "vlan", "label": "xfer-net"}])
    assert_error(offer(a, [on_vlan["id"]], token=me), 400, "entities.linodes")
    private = linode(private_ip=True)
    address = [ip for ip in private["ipv4"] if ip.startswith("192.168.")][0]
    nb = a.post("/nodebalancers", json={"region": "us-east", "configs": [
        {"port": 80, "nodes": [{"label": "node-1", "address": f"{address}:80"}]}]}, token=me)
    assert nb.status_code == 200, nb.text
    assert_error(offer(a, [private["id"]], token=me), 400, "entities.linodes")
