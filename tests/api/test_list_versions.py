"""Kept list answers are never stale: GET /linode/instances is answered from what the process
kept only while the account's Linode lists are at the version it was kept for, and every change
(a create, a rename, tags, a job moving a status on, a delete), by this process or another on the
same store (a `linnetd` command, another API node), moves that version on. Restricted users' lists depend on their grants and are never
kept."""
import pytest

import support
from support import create_from_image, create_linode, linnetd, put_grants, restricted_user


def labels(srv, flt=None, token=support._DEFAULT):
    r = srv.get("/linode/instances", filter=flt, token=token, params={"page_size": 500})
    assert r.status_code == 200, r.text
    return sorted(x["label"] for x in r.json()["data"])


@pytest.fixture
def node(spawn):
    return spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})


def test_every_change_shows_in_the_next_list(node):
    assert labels(node) == []
    a = create_linode(node, label=support.unique_label("lv"), wait="offline")
    assert labels(node) == [a["label"]]
    assert labels(node) == [a["label"]]  # the kept answer
    renamed = a["label"] + "-x"
    assert node.put(f"/linode/instances/{a['id']}", json={"label": renamed}).status_code == 200
    assert labels(node) == [renamed]
    assert labels(node, {"tags": "blue"}) == []
    assert node.put(f"/linode/instances/{a['id']}", json={"tags": ["blue"]}).status_code == 200
    assert labels(node, {"tags": "blue"}) == [renamed]
    assert node.delete("/tags/blue").status_code == 200
    assert labels(node, {"tags": "blue"}) == []
    # A job moves the status on: the list shows it.
    b = create_from_image(node, label=support.unique_label("lv"))
    statuses = {x["id"]: x["status"] for x in node.get("/linode/instances").json()["data"]}
    assert statuses[b["id"]] == "running"
    assert node.post(f"/linode/instances/{b['id']}/shutdown").status_code == 200
    support.wait_status(node, b["id"], "offline")
    statuses = {x["id"]: x["status"] for x in node.get("/linode/instances").json()["data"]}
    assert statuses[b["id"]] == "offline"
    assert node.delete(f"/linode/instances/{a['id']}").status_code == 200
    support.wait_gone(node, a["id"])
    assert labels(node) == [b["label"]]


def test_a_restricted_users_list_follows_its_grants(node):
    a = create_linode(node, label=support.unique_label("lv"), wait="offline")
    user, token = restricted_user(node)
    assert labels(node, token=token) == []
    put_grants(node, user, linode=[{"id": a["id"], "permissions": "read_only"}])
    assert labels(node, token=token) == [a["label"]]


def test_a_change_by_another_process_shows(spawn):
    """`linnetd host drain` (another process on the same store) moves a Linode to another host:
    the list that this server kept shows its new host_uuid."""
    node = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0", "LINNET_HOST": "lv"})
    a = create_linode(node, label=support.unique_label("lv"), wait="offline")
    before = node.get("/linode/instances").json()["data"][0]["host_uuid"]
    assert before == a["host_uuid"]
    host = support.db_execute(node.data_dir, "SELECT h.name FROM linodes l JOIN hosts h ON "
                                             "h.id = l.host_id WHERE l.id = ?", (a["id"],))[0][0]
    out = linnetd(["host", "drain", host], node.data_dir, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    after = node.get("/linode/instances").json()["data"][0]["host_uuid"]
    assert after != before
    assert after == support.get_linode(node, a["id"])["host_uuid"]
