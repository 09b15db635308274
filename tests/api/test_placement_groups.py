"""/placement/groups on the sim driver: create, get, list, update (label), delete; assign and
unassign; placement_group on a Linode create placing it by the group's rule among the sim
driver's virtual hosts (anti-affinity: a host of its own; affinity: the first member's host);
strict groups refuse what breaks their rule, flexible ones take it and are non-compliant;
compliance, limits, events, filters, scopes and grants."""
import pytest

from support import (assert_error, assert_list, create_from_image, put_grants, restricted_user,
                     unique_label)

FIELDS = {"id", "label", "region", "placement_group_type", "placement_group_policy",
          "is_compliant", "members", "migrations"}
REGION = "us-east"


def create_group(srv, kind="anti_affinity:local", policy="strict", **fields):
    body = {"label": unique_label("pg"), "region": REGION, "placement_group_type": kind,
            "placement_group_policy": policy}
    body.update(fields)
    r = srv.post("/placement/groups", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def in_group(srv, group, **fields):
    return create_from_image(srv, region=group["region"],
                             placement_group={"id": group["id"]}, **fields)


def group(srv, gid):
    return srv.get(f"/placement/groups/{gid}").json()


def events_of(srv, gid, action):
    return srv.get_all("/account/events", filter={"entity.id": gid,
                                                  "entity.type": "placement_group",
                                                  "action": action})


def test_create_get_list_update_delete(sim):
    made = create_group(sim)
    assert set(made) == FIELDS
    assert made["members"] == [] and made["is_compliant"] is True
    assert made["migrations"] is None and made["placement_group_policy"] == "strict"
    assert group(sim, made["id"]) == made
    assert assert_list(sim.get("/placement/groups", filter={"label": made["label"]}), 1) == [made]
    assert made in sim.get_all("/placement/groups", filter={"region": REGION,
                                                            "placement_group_type":
                                                                "anti_affinity:local"})
    label = unique_label("pg-renamed")
    r = sim.put(f"/placement/groups/{made['id']}", json={"label": label})
    assert r.status_code == 200 and r.json()["label"] == label
    assert len(events_of(sim, made["id"], "placement_group_update")) == 1
    assert sim.delete(f"/placement/groups/{made['id']}").json() == {}
    assert_error(sim.get(f"/placement/groups/{made['id']}"), 404)
    assert [e["entity"]["url"] for e in events_of(sim, made["id"], "placement_group_create")] == [
        f"/v4/placement/groups/{made['id']}"]


@pytest.mark.parametrize("body,field", [
    ({"label": ""}, "label"),
    ({"label": "-x"}, "label"),
    ({"region": "nowhere"}, "region"),
    ({"region": "nz-akl-1"}, "region"),  # no Placement Group capability
    ({"placement_group_type": "spread"}, "placement_group_type"),
    ({"placement_group_policy": "loose"}, "placement_group_policy"),
    ({"placement_group_policy": None}, "placement_group_policy"),
])
def test_a_bad_group_is_refused_by_field(sim, body, field):
    full = {"label": unique_label("pg"), "region": REGION,
            "placement_group_type": "anti_affinity:local", "placement_group_policy": "strict"}
    full.update(body)
    full = {k: v for k, v in full.items() if v is not None}
    assert_error(sim.post("/placement/groups", json=full), 400, field=field)


def test_anti_affinity_puts_each_member_on_a_host_of_its_own(sim):
    spread = create_group(sim)
    members = [in_group(sim, spread) for _ in range(3)]
    assert len({m["host_uuid"] for m in members}) == 3
    assert all(m["placement_group"] == {
        "id": spread["id"], "label": spread["label"], "placement_group_type": "anti_affinity:local",
        "placement_group_policy": "strict", "migrating_to": None} for m in members)
    after = group(sim, spread["id"])
    assert after["is_compliant"] is True
    assert after["members"] == [{"linode_id": m["id"], "is_compliant": True} for m in members]
    assert len(events_of(sim, spread["id"], "placement_group_assign")) == 3
    # A member cannot join a second group, nor a group of another region.
    other = create_group(sim)
    assert_error(sim.post(f"/placement/groups/{other['id']}/assign",
                          json={"linodes": [members[0]["id"]]}), 400, field="linodes")
    abroad = create_group(sim, region="us-iad")
    loose = create_from_image(sim)
    assert_error(sim.post(f"/placement/groups/{abroad['id']}/assign",
                          json={"linodes": [loose["id"]]}), 400, field="linodes")
    assert_error(in_group_raw(sim, abroad), 400, field="placement_group")
    # A group with members is not deleted.
    assert_error(sim.delete(f"/placement/groups/{spread['id']}"), 400)


def in_group_raw(srv, g):
    return srv.post("/linode/instances", json={"region": REGION, "type": "g6-nanode-1",
                                               "image": "linode/debian12",
                                               "root_pass": "Pa55-w0rd-for-tests!",
                                               "placement_group": {"id": g["id"]}})


def test_affinity_keeps_members_on_one_host_and_strictness(sim):
    together = create_group(sim, kind="affinity:local", policy="flexible")
    a, b = in_group(sim, together), in_group(sim, together)
    assert a["host_uuid"] == b["host_uuid"]
    assert group(sim, together["id"])["is_compliant"] is True
    # Out of the affinity group, the two share a host: a strict anti-affinity group takes the
    # first and refuses the second; a flexible one takes both and is not compliant.
    r = sim.post(f"/placement/groups/{together['id']}/unassign",
                 json={"linodes": [a["id"], b["id"]]})
    assert r.status_code == 200 and r.json()["members"] == []
    assert sim.get(f"/linode/instances/{a['id']}").json()["placement_group"] is None
    strict = create_group(sim)
    r = sim.post(f"/placement/groups/{strict['id']}/assign", json={"linodes": [a["id"], b["id"]]})
    assert_error(r, 400, field="linodes")
    assert group(sim, strict["id"])["members"] == []  # nothing of the refused request stays
    flexible = create_group(sim, policy="flexible")
    r = sim.post(f"/placement/groups/{flexible['id']}/assign",
                 json={"linodes": [a["id"], b["id"]]})
    assert r.status_code == 200, r.text
    assert r.json()["is_compliant"] is False
    assert [m["is_compliant"] for m in r.json()["members"]] == [False, False]
    assert len(events_of(sim, flexible["id"], "placement_group_became_non_compliant")) == 1
    r = sim.post(f"/placement/groups/{flexible['id']}/unassign", json={"linodes": [b["id"]]})
    assert r.json()["is_compliant"] is True
    assert len(events_of(sim, flexible["id"], "placement_group_became_compliant")) == 1
    assert_error(sim.post(f"/placement/groups/{flexible['id']}/unassign",
                          json={"linodes": [b["id"]]}), 400, field="linodes")
    for body in ({}, {"linodes": []}, {"linodes": ["x"]}):
        assert_error(sim.post(f"/placement/groups/{flexible['id']}/assign", json=body), 400,
                     field="linodes")


def test_a_strict_group_holds_at_most_the_regions_limit(sim):
    full = create_group(sim)
    for _ in range(5):
        in_group(sim, full)
    assert_error(in_group_raw(sim, full), 400, field="placement_group")
    extra = create_from_image(sim)
    assert_error(sim.post(f"/placement/groups/{full['id']}/assign",
                          json={"linodes": [extra["id"]]}), 400, field="linodes")


def test_a_deleted_linode_leaves_its_group(sim):
    g = create_group(sim)
    member = in_group(sim, g)
    assert sim.delete(f"/linode/instances/{member['id']}").status_code == 200
    from support import wait_until
    wait_until(lambda: group(sim, g["id"])["members"] == [], what="member gone")


def test_scopes_and_grants(sim):
    made = create_group(sim)
    assert sim.get("/placement/groups",
                   token=sim.make_token("placement:read_only")).status_code == 200
    assert_error(sim.post("/placement/groups", token=sim.make_token("linodes:read_only"),
                          json={}), 401)
    username, token = restricted_user(sim, "pg")
    assert_error(sim.post("/placement/groups", token=token,
                          json={"label": "x", "region": REGION,
                                "placement_group_type": "anti_affinity:local",
                                "placement_group_policy": "strict"}), 403)
    assert_error(sim.get(f"/placement/groups/{made['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_placement_groups": True}},
               placement_group=[{"id": made["id"], "permissions": "read_only"}])
    assert sim.get(f"/placement/groups/{made['id']}", token=token).status_code == 200
    # The group's events are the user's to see now, and no other group's.
    seen = sim.get_all("/account/events", token=token,
                       filter={"entity.type": "placement_group"})
    assert {e["entity"]["id"] for e in seen} == {made["id"]}
    assert_error(sim.put(f"/placement/groups/{made['id']}", token=token, json={"label": "y"}),
                 403)
    mine = sim.post("/placement/groups", token=token,
                    json={"label": unique_label("pgr"), "region": REGION,
                          "placement_group_type": "anti_affinity:local",
                          "placement_group_policy": "flexible"})
    assert mine.status_code == 200, mine.text
    assert {g["id"] for g in sim.get_all("/placement/groups", token=token)} == {
        made["id"], mine.json()["id"]}
