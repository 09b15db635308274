"""A Linode list's `results` for the filters whose counts the account keeps (every Linode, a
region, a tag, a tag in a region) agrees with the Linodes that match, through creates, tag
changes, a migration, deletes, a transfer to another account and a deleted tag. Filters the counts do not keep,
restricted users and /tags/{label} are counted from the rows, and agree too."""
import itertools

import pytest

import support
from support import (create_account, create_linode, put_grants, restricted_user, wait_event,
                     wait_gone)

REGIONS = ["us-east", "eu-west"]
TAGS = ["red", "blue"]


def shapes():
    out = [None]
    out += [{"region": r} for r in REGIONS]
    out += [{"tags": t} for t in TAGS]
    for r, t in itertools.product(REGIONS, TAGS):
        out.append({"region": r, "tags": t})
        out.append({"+and": [{"tags": t}, {"region": r}], "+order_by": "label"})
    out.append({"region": "us-east|tag=red"})  # not a region: nothing matches
    return out


def matches(linode, flt):
    if flt is None:
        return True
    if "+and" in flt:
        return all(matches(linode, c) for c in flt["+and"])
    return all(linode["region"] == v if k == "region" else v in linode["tags"]
               for k, v in flt.items() if k not in ("+order_by", "+order"))


def results(srv, flt, **kw):
    r = srv.get("/linode/instances", filter=flt, params={"page_size": 25}, **kw)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def check(srv, **kw):
    every = srv.get_all("/linode/instances", **kw)
    for flt in shapes():
        expected = sum(1 for linode in every if matches(linode, flt))
        assert results(srv, flt, **kw) == expected, flt
        # The same filter under "+or", which the counts do not keep, is counted from the rows.
        uncounted = {"+or": [{k: v for k, v in flt.items() if k not in ("+order_by", "+order")}]} \
            if flt else {"id": {"+gt": 0}}
        assert results(srv, uncounted, **kw) == expected, uncounted
    return every


@pytest.fixture
def node(spawn):
    return spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})


def test_counts_follow_every_change(node):
    made = []
    for region, tags in [("us-east", []), ("us-east", ["red"]), ("us-east", ["red", "blue"]),
                         ("eu-west", ["blue"]), ("eu-west", ["red"]), ("eu-west", [])]:
        made.append(create_linode(node, wait="offline", region=region, tags=tags))
    assert len(check(node)) == 6

    # Tags change; a tag given twice counts once.
    r = node.put(f"/linode/instances/{made[1]['id']}", json={"tags": ["blue", "blue"]})
    assert r.status_code == 200, r.text
    check(node)

    # A migration moves a tagged Linode's counts to its new region.
    r = node.post(f"/linode/instances/{made[2]['id']}/migrate", json={"region": "eu-west"})
    assert r.status_code == 200, r.text
    wait_event(node, made[2]["id"], "linode_migrate")
    assert support.get_linode(node, made[2]["id"])["region"] == "eu-west"
    check(node)

    for linode in made[3:5]:
        assert node.delete(f"/linode/instances/{linode['id']}").status_code == 200
        wait_gone(node, linode["id"])
    assert len(check(node)) == 4

    # A transfer moves the Linode's counts to the accepting account.
    other = dict(token=create_account(node.data_dir, support.unique_username("cnt")))
    r = node.post("/account/entity-transfers",
                  json={"entities": {"linodes": [made[2]["id"]]}})
    assert r.status_code == 200, r.text
    accepted = node.post(f"/account/entity-transfers/{r.json()['token']}/accept", **other)
    assert accepted.status_code == 200, accepted.text
    assert len(check(node)) == 3
    assert [x["id"] for x in check(node, **other)] == [made[2]["id"]]
    assert results(node, {"region": "eu-west", "tags": "red"}, **other) == 1

    # A restricted user is answered for what it sees.
    user, token = restricted_user(node)
    assert results(node, {"region": "us-east"}, token=token) == 0
    put_grants(node, user, linode=[{"id": made[0]["id"], "permissions": "read_only"}])
    assert results(node, {"region": "us-east"}, token=token) == 1
    assert results(node, None, token=token) == 1

    # /tags/{label} lists the tagged objects.
    tagged = node.get("/tags/blue", params={"page_size": 25})
    assert tagged.status_code == 200, tagged.text
    assert tagged.json()["results"] == results(node, {"tags": "blue"}) == 1
    # A tag deleted from the account is gone from its Linodes' counts.
    assert node.delete("/tags/blue").status_code == 200
    assert results(node, {"tags": "blue"}) == 0
    check(node)
