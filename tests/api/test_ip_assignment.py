"""/networking/ips/assign and /networking/ips/share (and the older /networking/ipv4 forms):
swapping IPv4 addresses between Linodes of a region, the rules that keep each Linode with one
public address and at most one private one, and IP sharing shown in a Linode's ips."""
import pytest

from support import assert_error, create_account, create_linode, unique_username


def public_of(srv, linode_id):
    r = srv.get(f"/linode/instances/{linode_id}/ips")
    assert r.status_code == 200, r.text
    return [a["address"] for a in r.json()["ipv4"]["public"]]


def ips_of(srv, linode_id):
    return srv.get(f"/linode/instances/{linode_id}/ips").json()


@pytest.fixture
def pair(instant):
    return [create_linode(instant, wait="offline") for _ in range(2)]


@pytest.mark.parametrize("path", ["/networking/ips/assign", "/networking/ipv4/assign"])
def test_swap_two_linodes_addresses(instant, pair, path):
    a, b = pair
    (a_ip,), (b_ip,) = public_of(instant, a["id"]), public_of(instant, b["id"])
    r = instant.post(path, json={"region": "us-east", "assignments": [
        {"address": a_ip, "linode_id": b["id"]}, {"address": b_ip, "linode_id": a["id"]}]})
    assert r.status_code == 200 and r.json() == {}, r.text
    assert public_of(instant, a["id"]) == [b_ip] and public_of(instant, b["id"]) == [a_ip]
    assert instant.get(f"/networking/ips/{a_ip}").json()["linode_id"] == b["id"]
    assert instant.get(f"/linode/instances/{a['id']}").json()["ipv4"] == [b_ip]


def test_assign_keeps_the_rules(instant, pair):
    a, b = pair
    (a_ip,), (b_ip,) = public_of(instant, a["id"]), public_of(instant, b["id"])
    # A Linode left without a public address: refused, nothing moves.
    r = instant.post("/networking/ips/assign", json={
        "region": "us-east", "assignments": [{"address": a_ip, "linode_id": b["id"]}]})
    assert_error(r, 400, "assignments")
    assert public_of(instant, a["id"]) == [a_ip]
    # Two private addresses on one Linode: refused.
    for lin in pair:
        assert instant.post(f"/linode/instances/{lin['id']}/ips",
                            json={"type": "ipv4", "public": False}).status_code == 200
    a_private = ips_of(instant, a["id"])["ipv4"]["private"][0]["address"]
    r = instant.post("/networking/ips/assign", json={
        "region": "us-east", "assignments": [{"address": a_private, "linode_id": b["id"]}]})
    assert_error(r, 400, "assignments")
    # Another region, an unknown address or Linode, a malformed body.
    elsewhere = create_linode(instant, wait="offline", region="eu-west")
    cases = [
        ({"region": "us-east", "assignments": [{"address": a_ip, "linode_id": elsewhere["id"]}]},
         "assignments[0].linode_id"),
        ({"region": "eu-west", "assignments": [{"address": a_ip, "linode_id": elsewhere["id"]}]},
         "assignments[0].address"),
        ({"region": "us-east", "assignments": [{"address": "203.0.113.9", "linode_id": b["id"]}]},
         "assignments[0].address"),
        ({"region": "us-east", "assignments": [{"address": a_ip, "linode_id": 99999999}]},
         "assignments[0].linode_id"),
        ({"region": "us-east", "assignments": [{"address": a_ip}]}, "assignments[0].linode_id"),
        ({"region": "us-east", "assignments": []}, "assignments"),
        ({"region": "us-east", "assignments": ["x"]}, "assignments[0]"),
        ({"assignments": [{"address": a_ip, "linode_id": b["id"]}]}, "region"),
    ]
    for body, field in cases:
        assert_error(instant.post("/networking/ips/assign", json=body), 400, field)
    assert public_of(instant, a["id"]) == [a_ip] and public_of(instant, b["id"]) == [b_ip]


@pytest.mark.parametrize("path", ["/networking/ips/share", "/networking/ipv4/share"])
def test_share_addresses(instant, pair, path):
    a, b = pair
    (a_ip,), (b_ip,) = public_of(instant, a["id"]), public_of(instant, b["id"])
    r = instant.post(path, json={"linode_id": a["id"], "ips": [b_ip]})
    assert r.status_code == 200 and r.json() == {}, r.text
    shared = ips_of(instant, a["id"])["ipv4"]["shared"]
    assert [s["address"] for s in shared] == [b_ip] and shared[0]["linode_id"] == b["id"]
    # Still B's; it cannot be assigned away while shared.
    assert public_of(instant, b["id"]) == [b_ip]
    assert_error(instant.post("/networking/ips/assign", json={
        "region": "us-east", "assignments": [{"address": b_ip, "linode_id": a["id"]},
                                             {"address": a_ip, "linode_id": b["id"]}]}), 400,
        "assignments[0].address")
    assert_error(instant.post(path, json={"linode_id": a["id"], "ips": [a_ip]}), 400, "ips[0]")
    elsewhere = create_linode(instant, wait="offline", region="eu-west")
    assert_error(instant.post(path, json={"linode_id": elsewhere["id"], "ips": [b_ip]}), 400,
                 "ips[0]")
    assert_error(instant.post(path, json={"linode_id": a["id"]}), 400, "ips")
    assert_error(instant.post(path, json={"ips": [b_ip]}), 400, "linode_id")
    # An empty list ends the sharing.
    assert instant.post(path, json={"linode_id": a["id"], "ips": []}).status_code == 200
    assert ips_of(instant, a["id"])["ipv4"]["shared"] == []


def test_other_accounts_addresses_are_not_found(instant, pair):
    a, _ = pair
    (a_ip,) = public_of(instant, a["id"])
    theirs = create_account(instant.data_dir, unique_username("ipb"))
    r = instant.post("/linode/instances", token=theirs,
                     json={"region": "us-east", "type": "g6-nanode-1", "label": "b-ip"})
    assert r.status_code == 200, r.text
    b_lin = r.json()
    assert_error(instant.post("/networking/ips/assign", token=theirs, json={
        "region": "us-east", "assignments": [{"address": a_ip, "linode_id": b_lin["id"]}]}), 400,
        "assignments[0].address")
    assert_error(instant.post("/networking/ips/share", token=theirs,
                              json={"linode_id": b_lin["id"], "ips": [a_ip]}), 400, "ips[0]")
    assert_error(instant.post("/networking/ips/share", token=theirs,
                              json={"linode_id": a["id"], "ips": []}), 400, "linode_id")
    assert public_of(instant, a["id"]) == [a_ip]
