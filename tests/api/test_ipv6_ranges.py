"""/networking/ipv6: the pools of each region, and IPv6 ranges (/64 and /56) routed to a
Linode's SLAAC address: create by linode_id or route_target, list, get, delete; a Linode's
ranges in its /ips; each range once across Linnet; grants."""
import ipaddress

import pytest

from support import assert_error, assert_list, create_from_image, put_grants, restricted_user


def slaac_of(srv, linode_id):
    return srv.get(f"/linode/instances/{linode_id}/ips").json()["ipv6"]["slaac"]["address"]


def test_ranges_are_routed_to_a_linodes_slaac(sim):
    linode = create_from_image(sim)
    slaac = slaac_of(sim, linode["id"])
    r = sim.post("/networking/ipv6/ranges", json={"linode_id": linode["id"], "prefix_length": 64})
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["route_target"] == slaac
    net = ipaddress.ip_network(made["range"])
    assert net.prefixlen == 64 and net.subnet_of(ipaddress.ip_network("2001:db8:8000::/33"))
    r = sim.post("/networking/ipv6/ranges", json={"route_target": slaac, "prefix_length": 56})
    assert r.status_code == 200, r.text
    wide = ipaddress.ip_network(r.json()["range"])
    assert wide.prefixlen == 56 and not wide.overlaps(net)
    address = str(net.network_address)
    one = sim.get(f"/networking/ipv6/ranges/{address}")
    assert one.status_code == 200, one.text
    assert one.json() == {"range": address, "prefix": 64, "region": linode["region"],
                          "is_bgp": False, "linodes": [linode["id"]]}
    listed = sim.get_all("/networking/ipv6/ranges", filter={"region": linode["region"]})
    assert {"range": address, "prefix": 64, "region": linode["region"],
            "route_target": slaac} in listed
    ips = sim.get(f"/linode/instances/{linode['id']}/ips").json()["ipv6"]["global"]
    assert sorted(g["prefix"] for g in ips) == [56, 64]
    assert sim.delete(f"/networking/ipv6/ranges/{address}").json() == {}
    assert_error(sim.get(f"/networking/ipv6/ranges/{address}"), 404)
    assert [g["prefix"] for g in
            sim.get(f"/linode/instances/{linode['id']}/ips").json()["ipv6"]["global"]] == [56]
    # A deleted Linode takes its ranges with it.
    assert sim.delete(f"/linode/instances/{linode['id']}").status_code == 200


@pytest.mark.parametrize("body,field", [
    ({"linode_id": 1}, "prefix_length"),
    ({"linode_id": 1, "prefix_length": 48}, "prefix_length"),
    ({"prefix_length": 64}, "linode_id"),
    ({"linode_id": 99999999, "prefix_length": 64}, "linode_id"),
    ({"route_target": "2001:db8::dead", "prefix_length": 64}, "route_target"),
    ({"linode_id": 1, "route_target": "2001:db8::1", "prefix_length": 64}, "route_target"),
])
def test_bad_requests_name_their_field(sim, body, field):
    assert_error(sim.post("/networking/ipv6/ranges", json=body), 400, field)


def test_pools_and_grants(sim):
    pools = sim.get_all("/networking/ipv6/pools")
    assert {p["region"] for p in pools} >= {"us-east", "eu-west"}
    assert all(p["prefix"] == 64 and p["route_target"] is None for p in pools)
    assert assert_list(sim.get("/networking/ipv6/pools", filter={"region": "us-east"}))
    assert_error(sim.get("/networking/ipv6/ranges/not-an-address"), 404)

    username, token = restricted_user(sim, "v6")
    linode = create_from_image(sim)
    made = sim.post("/networking/ipv6/ranges",
                    json={"linode_id": linode["id"], "prefix_length": 64}).json()
    address = made["range"].split("/")[0]
    assert sim.get_all("/networking/ipv6/ranges", token=token) == []
    assert_error(sim.get(f"/networking/ipv6/ranges/{address}", token=token), 403)
    put_grants(sim, username, linode=[{"id": linode["id"], "permissions": "read_only"}])
    assert sim.get(f"/networking/ipv6/ranges/{address}", token=token).status_code == 200
    assert_error(sim.delete(f"/networking/ipv6/ranges/{address}", token=token), 403)
    assert_error(sim.post("/networking/ipv6/ranges", token=token,
                          json={"linode_id": linode["id"], "prefix_length": 64}), 403)
