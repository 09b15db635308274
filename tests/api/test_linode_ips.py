"""Addresses: /linode/instances/{id}/ips (grouped view, allocate, get, rdns, delete) and
/networking/ips (list, filter, get, rdns, allocate), with the linode_addip event and scopes."""
import ipaddress

import pytest

from support import (assert_error, assert_list, create_linode, get_linode, wait_event)

PUBLIC_POOL = ipaddress.ip_network("198.18.0.0/15")
PRIVATE_POOL = ipaddress.ip_network("192.168.128.0/17")
NOT_AUTHORIZED = "Your OAuth token is not authorized to use this endpoint."


def base(linode):
    return f"/linode/instances/{linode['id']}/ips"


@pytest.fixture
def linode(instant):
    return create_linode(instant, wait="offline")


def test_grouped_view(instant, linode):
    r = instant.get(base(linode))
    assert r.status_code == 200, r.text
    ips = r.json()
    assert set(ips) == {"ipv4", "ipv6"}
    assert {"public", "private", "shared", "reserved"} <= set(ips["ipv4"])
    assert {"slaac", "link_local"} <= set(ips["ipv6"])
    (pub,) = ips["ipv4"]["public"]
    assert ips["ipv4"]["private"] == []
    assert pub["address"] == linode["ipv4"][0] and pub["public"] is True
    assert pub["type"] == "ipv4" and pub["linode_id"] == linode["id"]
    assert pub["region"] == linode["region"] and pub["prefix"] == 24
    assert pub["subnet_mask"] == "255.255.255.0" and pub["gateway"]
    net = ipaddress.ip_network(f"{pub['address']}/24", strict=False)
    assert ipaddress.ip_address(pub["gateway"]) in net and pub["gateway"] != pub["address"]
    assert isinstance(pub["rdns"], str) and pub["rdns"]
    slaac = ips["ipv6"]["slaac"]
    assert slaac["address"] + "/128" == linode["ipv6"] and slaac["type"] == "ipv6"
    link_local = ips["ipv6"]["link_local"]
    assert ipaddress.ip_address(link_local["address"]).is_link_local


def test_link_local_address_is_not_the_gateway(spawn):
    """On a fresh server the first Linode is id 1; its link-local address must not be fe80::1,
    the gateway every Linode is given."""
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    for _ in range(2):
        linode = create_linode(srv)
        ll = srv.get(base(linode)).json()["ipv6"]["link_local"]
        assert ll["address"] != ll["gateway"], (linode["id"], ll)


def test_allocate_public_and_private(instant, linode):
    r = instant.post(base(linode), json={"type": "ipv4", "public": True})
    assert r.status_code == 200, r.text
    extra = r.json()
    assert ipaddress.ip_address(extra["address"]) in PUBLIC_POOL and extra["public"] is True
    assert extra["linode_id"] == linode["id"]
    r = instant.post(base(linode), json={"type": "ipv4", "public": False})
    assert r.status_code == 200, r.text
    private = r.json()
    assert ipaddress.ip_address(private["address"]) in PRIVATE_POOL and private["public"] is False
    doc = get_linode(instant, linode["id"])
    assert set(doc["ipv4"]) == {linode["ipv4"][0], extra["address"], private["address"]}
    ips = instant.get(base(linode)).json()
    assert sorted(i["address"] for i in ips["ipv4"]["public"]) == sorted([linode["ipv4"][0], extra["address"]])
    assert [i["address"] for i in ips["ipv4"]["private"]] == [private["address"]]
    wait_event(instant, linode["id"], "linode_addip", status="notification")
    assert_error(instant.post(base(linode), json={"type": "ipv4", "public": False}), 400)


@pytest.mark.parametrize("body,field", [
    ({"public": True}, "type"), ({"type": "ipv6", "public": True}, "type"),
    ({"type": "ipv4"}, "public"), ({"type": "ipv4", "public": "yes"}, "public"),
])
def test_allocate_validation(instant, linode, body, field):
    assert_error(instant.post(base(linode), json=body), 400, field=field)
    assert get_linode(instant, linode["id"])["ipv4"] == linode["ipv4"]


def test_get_one_and_rdns(instant, linode):
    address = linode["ipv4"][0]
    r = instant.get(f"{base(linode)}/{address}")
    assert r.status_code == 200 and r.json()["address"] == address, r.text
    default_rdns = r.json()["rdns"]
    r = instant.put(f"{base(linode)}/{address}", json={"rdns": "www.example.org"})
    assert r.status_code == 200 and r.json()["rdns"] == "www.example.org", r.text
    assert instant.get(f"/networking/ips/{address}").json()["rdns"] == "www.example.org"
    r = instant.put(f"{base(linode)}/{address}", json={"rdns": None})
    assert r.status_code == 200 and r.json()["rdns"] == default_rdns, r.text
    for body in [{}, {"rdns": "a b.example"}, {"rdns": "x"}, {"rdns": 5}]:
        assert_error(instant.put(f"{base(linode)}/{address}", json=body), 400, field="rdns")
    assert instant.get(f"{base(linode)}/{address}").json()["rdns"] == default_rdns


def test_address_of_another_linode_is_404(instant, linode):
    other = create_linode(instant)
    address = other["ipv4"][0]
    assert_error(instant.get(f"{base(linode)}/{address}"), 404)
    assert_error(instant.put(f"{base(linode)}/{address}", json={"rdns": "a.example"}), 404)
    assert_error(instant.delete(f"{base(linode)}/{address}"), 404)
    assert_error(instant.get(f"{base(linode)}/203.0.113.9"), 404)
    assert get_linode(instant, other["id"])["ipv4"] == [address]


def test_delete_address(instant, linode):
    extra = instant.post(base(linode), json={"type": "ipv4", "public": True}).json()
    r = instant.delete(f"{base(linode)}/{extra['address']}")
    assert r.status_code == 200 and r.json() == {}, r.text
    assert_error(instant.get(f"{base(linode)}/{extra['address']}"), 404)
    assert get_linode(instant, linode["id"])["ipv4"] == linode["ipv4"]
    assert_error(instant.delete(f"{base(linode)}/{linode['ipv4'][0]}"), 400)
    slaac = instant.get(base(linode)).json()["ipv6"]["slaac"]["address"]
    assert_error(instant.delete(f"{base(linode)}/{slaac}"), 400)
    assert get_linode(instant, linode["id"])["ipv4"] == linode["ipv4"]


def test_networking_ips(instant, linode):
    everything = instant.get_all("/networking/ips")
    addresses = {x["address"] for x in everything}
    assert linode["ipv4"][0] in addresses
    mine = instant.get_all("/networking/ips", filter={"linode_id": linode["id"]})
    assert {x["address"] for x in mine} >= {linode["ipv4"][0]}
    assert all(x["linode_id"] == linode["id"] for x in mine)
    public = instant.get_all("/networking/ips", filter={"linode_id": linode["id"], "public": True})
    assert linode["ipv4"][0] in {x["address"] for x in public}
    assert all(x["public"] for x in public)
    one = instant.get(f"/networking/ips/{linode['ipv4'][0]}")
    assert one.status_code == 200 and one.json()["linode_id"] == linode["id"], one.text
    assert_error(instant.get("/networking/ips/203.0.113.77"), 404)
    r = instant.put(f"/networking/ips/{linode['ipv4'][0]}", json={"rdns": "net.example.org"})
    assert r.status_code == 200 and r.json()["rdns"] == "net.example.org", r.text
    assert_error(instant.put(f"/networking/ips/{linode['ipv4'][0]}", json={"rdns": "bad name"}), 400,
                 field="rdns")


def test_networking_allocate(instant, linode):
    r = instant.post("/networking/ips", json={"type": "ipv4", "public": True, "linode_id": linode["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["linode_id"] == linode["id"]
    assert r.json()["address"] in get_linode(instant, linode["id"])["ipv4"]
    for body, field in [({"type": "ipv4", "public": True}, "linode_id"),
                        ({"type": "ipv4", "public": True, "linode_id": 99999999}, "linode_id"),
                        ({"type": "ipv6", "public": True, "linode_id": linode["id"]}, "type"),
                        ({"type": "ipv4", "linode_id": linode["id"]}, "public")]:
        assert_error(instant.post("/networking/ips", json=body), 400, field=field)


def test_public_address_limit(instant, linode):
    for _ in range(7):
        assert instant.post(base(linode), json={"type": "ipv4", "public": True}).status_code == 200
    assert_error(instant.post(base(linode), json={"type": "ipv4", "public": True}), 400)
    assert len(instant.get(base(linode)).json()["ipv4"]["public"]) == 8


def test_addresses_are_unique(instant):
    rows = [x for x in instant.get_all("/networking/ips")]
    assert len({x["address"] for x in rows}) == len(rows)


def test_scopes(instant, linode):
    ro = instant.make_token("ips:read_only")
    assert instant.get("/networking/ips", token=ro).status_code == 200
    r = instant.post("/networking/ips", token=ro,
                     json={"type": "ipv4", "public": True, "linode_id": linode["id"]})
    assert_error(r, 401, reason=NOT_AUTHORIZED)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "ips:read_write"
    lin = instant.make_token("linodes:read_only")
    r = instant.post(base(linode), token=lin, json={"type": "ipv4", "public": True})
    assert_error(r, 401)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "linodes:read_write"
    assert instant.get(base(linode), token=lin).status_code == 200
    assert get_linode(instant, linode["id"])["ipv4"] == linode["ipv4"]
