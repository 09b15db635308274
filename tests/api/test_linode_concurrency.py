"""Many clients at once: 100 concurrent creates get 100 Linodes, addresses and finished events;
racing actions, labels, deletes and address allocations have exactly one winner and no 5xx."""
import ipaddress
import threading
from concurrent.futures import ThreadPoolExecutor

from support import (IMAGE, ROOT_PASS, assert_busy, create_from_image, create_linode,
                     get_linode, unique_label, wait_status, wait_until)

POOL = ipaddress.ip_network("198.18.0.0/15")


def race(n, call):
    """Runs call(i) for i in range(n) on n threads released together; returns the results."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait(timeout=10)
        return call(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_100_concurrent_creates(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    stem = unique_label("many")

    def create(i):
        return srv.post("/linode/instances", timeout=30, json={
            "region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "label": f"{stem}-{i}", "tags": ["many"]})

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(create, range(100)))
    bad = [(r.status_code, r.text) for r in answers if r.status_code != 200]
    assert not bad, f"{len(bad)} creates failed, e.g. {bad[:3]}"
    docs = [r.json() for r in answers]
    assert len({d["id"] for d in docs}) == 100
    assert {d["label"] for d in docs} == {f"{stem}-{i}" for i in range(100)}
    addresses = [d["ipv4"][0] for d in docs]
    assert len(set(addresses)) == 100, "duplicate IPv4 addresses"
    assert all(ipaddress.ip_address(a) in POOL for a in addresses)
    assert len({d["ipv6"] for d in docs}) == 100

    listed = srv.get_all("/linode/instances", filter={"tags": "many"})
    assert sorted(x["id"] for x in listed) == sorted(d["id"] for d in docs)
    assert len({x["ipv4"][0] for x in listed}) == 100

    def finished_creates():
        events = srv.get_all("/account/events", filter={"action": "linode_create"})
        done = [e for e in events if e["status"] == "finished"]
        return done if len(done) == 100 else None

    done = wait_until(finished_creates, timeout=30, interval=0.2, what="100 finished linode_create")
    assert {e["entity"]["id"] for e in done} == {d["id"] for d in docs}
    assert all(e["percent_complete"] == 100 for e in done)
    statuses = {x["status"] for x in srv.get_all("/linode/instances", filter={"tags": "many"})}
    assert statuses == {"running"}
    public = [x for x in srv.get_all("/networking/ips", filter={"public": True})
              if ":" not in x["address"]]
    assert len(public) == 100 and len({x["address"] for x in public}) == 100


def test_racing_actions_have_one_winner(sim):
    linode = create_from_image(sim)
    answers = race(10, lambda i: sim.post(f"/linode/instances/{linode['id']}/reboot", json={}))
    assert sorted(r.status_code for r in answers) == [200] + [400] * 9, [r.text for r in answers]
    for r in answers:
        if r.status_code == 400:
            assert_busy(r)
    assert get_linode(sim, linode["id"])["status"] == "rebooting"
    wait_status(sim, linode["id"], "running")
    reboots = sim.get_all("/account/events", filter={"entity.id": linode["id"], "action": "linode_reboot"})
    assert len(reboots) == 1


def test_racing_different_actions_have_one_winner(sim):
    linode = create_from_image(sim)
    bodies = [("reboot", {}), ("shutdown", {}), ("resize", {"type": "g6-standard-1"}),
              ("migrate", {"region": "eu-west"}), ("rebuild", {"image": IMAGE, "root_pass": ROOT_PASS}),
              ("rescue", {})]
    answers = race(len(bodies), lambda i: sim.post(
        f"/linode/instances/{linode['id']}/{bodies[i][0]}", json=bodies[i][1]))
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 1 and codes.count(400) == len(bodies) - 1, [r.text for r in answers]
    wait_status(sim, linode["id"], ("running", "offline"))


def test_racing_same_label(instant):
    label = unique_label("race")
    answers = race(10, lambda i: instant.post("/linode/instances", json={
        "region": "us-east", "type": "g6-nanode-1", "label": label}))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [400] * 9, [r.text for r in answers]
    for r in answers:
        if r.status_code == 400:
            assert {"field": "label", "reason": "Label must be unique among your Linodes"} in \
                r.json()["errors"], r.text
    assert len(instant.get_all("/linode/instances", filter={"label": label})) == 1


def test_racing_deletes(sim):
    linode = create_from_image(sim)
    answers = race(8, lambda i: sim.delete(f"/linode/instances/{linode['id']}"))
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 1 and all(c in (200, 400, 404) for c in codes), codes
    wait_until(lambda: sim.get(f"/linode/instances/{linode['id']}").status_code == 404)
    deletes = sim.get_all("/account/events", filter={"entity.id": linode["id"], "action": "linode_delete"})
    assert len(deletes) == 1


def test_racing_address_allocations(instant):
    linodes = [create_linode(instant, wait="offline") for _ in range(4)]
    answers = race(12, lambda i: instant.post(f"/linode/instances/{linodes[i % 4]['id']}/ips",
                                              json={"type": "ipv4", "public": True}))
    assert [r.status_code for r in answers] == [200] * 12, [r.text for r in answers]
    got = [r.json()["address"] for r in answers]
    assert len(set(got)) == 12
    everything = [x["address"] for x in instant.get_all("/networking/ips")]
    assert len(everything) == len(set(everything))


def test_racing_private_addresses_one_per_linode(instant):
    linode = create_linode(instant, wait="offline")
    answers = race(6, lambda i: instant.post(f"/linode/instances/{linode['id']}/ips",
                                             json={"type": "ipv4", "public": False}))
    assert sorted(r.status_code for r in answers) == [200] + [400] * 5, [r.text for r in answers]
    assert len(instant.get(f"/linode/instances/{linode['id']}/ips").json()["ipv4"]["private"]) == 1
