"""Hosts: a worker enrols its hosts (the sim driver: --sim-hosts virtual hosts in every region),
each new Linode is placed on the emptiest live host of its region (its host_uuid is that host's),
`linnetd host drain` moves a host's Linodes away and stops placement there, and a region with
no live host that has room refuses creates with a 400 on region."""
import collections

import pytest

import support
from support import assert_error, db_execute, linnetd


@pytest.fixture
def node(spawn):
    return spawn(token_scopes="*", env={"LINNET_HOST": "node-x", "LINNET_SIM_HOSTS": "3",
                                        "LINNET_SIM_SCALE": "0"})


def host_list(srv):
    out = linnetd(["host", "list"], srv.data_dir, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0].split()[:4] == ["NAME", "NODE", "DRIVER", "STATE"]
    return {line.split()[0]: line.split() for line in lines[1:]}


def host_of(srv, linode_id):
    rows = db_execute(srv.data_dir, "SELECT h.name, h.uuid FROM linodes l JOIN hosts h ON "
                                    "h.id = l.host_id WHERE l.id = ?", (linode_id,))
    assert len(rows) == 1
    return tuple(rows[0])


def create(srv, region="us-east"):
    return srv.post("/linode/instances", json={"region": region, "type": "g6-nanode-1",
                                               "label": support.unique_label("h")})


def test_a_sim_node_enrols_its_hosts_in_every_region(node):
    hosts = host_list(node)
    regions = {r["id"] for r in node.get("/regions", params={"page_size": 500}).json()["data"]
               if "Linodes" in r["capabilities"]}
    assert set(hosts) == {f"node-x/{region}/{n}" for region in regions for n in (1, 2, 3)}
    for name, row in hosts.items():
        assert row[1:5] == ["node-x", "sim", "active", "yes"], row
        assert row[-1] == name.split("/")[1]


def test_linodes_spread_over_the_hosts_of_their_region_with_their_uuid(node):
    made = [create(node).json() for _ in range(6)]
    placed = [host_of(node, linode["id"]) for linode in made]
    per_host = collections.Counter(name for name, _ in placed)
    assert set(per_host) == {f"node-x/us-east/{n}" for n in (1, 2, 3)}
    assert set(per_host.values()) == {2}
    for linode, (_, uuid) in zip(made, placed):
        assert linode["host_uuid"] == uuid
        assert support.get_linode(node, linode["id"])["host_uuid"] == uuid
    hosts = host_list(node)
    assert hosts["node-x/us-east/1"][5] == "2"  # LINODES
    assert hosts["node-x/us-east/1"][6].startswith("2048/")  # memory used of two nanodes


def test_drain_moves_linodes_and_placement_skips_the_host(node):
    made = [create(node).json()["id"] for _ in range(3)]
    drained_host = host_of(node, made[0])[0]
    out = linnetd(["host", "drain", drained_host], node.data_dir, capture_output=True, text=True,
                  check=True).stdout
    assert "drained 1 host(s): 1 Linode(s) moved" in out
    moved = host_of(node, made[0])
    assert moved[0] != drained_host
    assert support.get_linode(node, made[0])["host_uuid"] == moved[1]
    assert host_list(node)[drained_host][3] == "draining"
    for _ in range(4):
        assert host_of(node, create(node).json()["id"])[0] != drained_host
    # Its job goes on where it went.
    support.wait_status(node, made[0], "offline")
    linnetd(["host", "activate", drained_host], node.data_dir, check=True, capture_output=True)
    assert host_list(node)[drained_host][3] == "active"
    bad = linnetd(["host", "drain", "no-such-host"], node.data_dir, capture_output=True, text=True)
    assert bad.returncode != 0 and "no host or node named no-such-host" in bad.stderr


def test_a_region_whose_hosts_are_drained_refuses_creates(node):
    for n in (1, 2, 3):
        linnetd(["host", "drain", f"node-x/eu-west/{n}"], node.data_dir, check=True,
                capture_output=True)
    r = create(node, "eu-west")
    assert_error(r, 400, field="region")
    assert "has room" in r.json()["errors"][0]["reason"]
    assert create(node, "us-east").status_code == 200
    linnetd(["host", "activate", "node-x"], node.data_dir, check=True, capture_output=True)
    assert create(node, "eu-west").status_code == 200


def test_a_restarted_node_keeps_its_hosts_and_linodes(node):
    linode = create(node).json()
    before = host_of(node, linode["id"])
    assert node.terminate() == 0
    node.start()
    assert host_of(node, linode["id"]) == before
    assert len(host_list(node)) == len(set(host_list(node)))
    support.wait_status(node, linode["id"], "offline")


def test_a_node_under_a_new_name_gets_the_linodes_of_the_old_one(spawn, tmp_path):
    """The machine's host name changed (or --host did): the Linodes of the old name's hosts,
    which no longer renew, are placed on the new node's hosts (at once on SQLite, whose store
    only one machine serves; once the old lease runs out on PostgreSQL) and their jobs run."""
    env = {"LINNET_SIM_SCALE": "0", "LINNET_SIM_HOSTS": "2", "LINNET_JOB_LEASE_MS": "1500"}
    old = spawn(token_scopes="*", env=dict(env, LINNET_HOST="old-name"))
    linode = create(old).json()
    support.wait_status(old, linode["id"], "offline")
    assert old.terminate() == 0
    new = spawn(data_dir=tmp_path, env=dict(env, LINNET_HOST="new-name"))
    new.token = old.token
    support.wait_until(lambda: host_of(new, linode["id"])[0].startswith("new-name/"),
                       timeout=20, what="the Linode to move to the new node")
    assert new.post(f"/linode/instances/{linode['id']}/disks", json={
        "label": "d", "size": 100, "filesystem": "ext4"}).status_code == 200
    assert support.get_linode(new, linode["id"])["host_uuid"] == host_of(new, linode["id"])[1]
    disks = lambda: new.get(f"/linode/instances/{linode['id']}/disks").json()["data"]
    support.wait_until(lambda: disks() and disks()[0]["status"] == "ready", timeout=20,
                       what="the disk job to run on the new node")
