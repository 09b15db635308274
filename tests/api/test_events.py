"""/account/events: newest first, the event fields, filters (id, action, created, read, entity.id,
entity.type), seen/read, job progress to "finished", and one event for every Linode action."""
import re

import pytest

from support import (IMAGE, ROOT_PASS, assert_error, assert_list, create_from_image,
                     create_linode, linode_events, unique_label, wait_event, wait_gone,
                     wait_status, wait_until)

FIELDS = {"id", "action", "created", "duration", "entity", "secondary_entity", "message",
          "percent_complete", "rate", "read", "seen", "status", "time_remaining", "username"}
STATUSES = {"scheduled", "started", "finished", "failed", "notification"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def test_newest_first(instant):
    create_linode(instant, wait="offline")
    create_linode(instant, wait="offline")
    events = assert_list(instant.get("/account/events"))
    ids = [e["id"] for e in events]
    assert len(ids) >= 2 and ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)
    assert [e["id"] for e in assert_list(instant.get("/account/events/"))] == ids


def test_event_fields(instant):
    linode = create_from_image(instant)
    event = wait_event(instant, linode["id"], "linode_create")
    assert FIELDS <= set(event), FIELDS - set(event)
    assert isinstance(event["id"], int) and TIME.match(event["created"])
    assert event["status"] in STATUSES and isinstance(event["read"], bool)
    assert isinstance(event["seen"], bool)
    assert event["entity"] == {"id": linode["id"], "label": linode["label"], "type": "linode",
                               "url": f"/v4/linode/instances/{linode['id']}"}
    assert event["secondary_entity"]["type"] == "image" and event["secondary_entity"]["id"] == IMAGE
    assert isinstance(event["username"], str) and event["username"]
    r = instant.get(f"/account/events/{event['id']}")
    assert r.status_code == 200 and r.json() == event, r.text


def test_unknown_event_is_404(instant):
    for path in ("/account/events/99999999", "/account/events/abc", "/account/events/0"):
        assert_error(instant.get(path), 404)
    assert_error(instant.post("/account/events/99999999/seen"), 404)
    assert_error(instant.post("/account/events/99999999/read"), 404)


def test_job_event_goes_to_finished(sim):
    linode = create_from_image(sim, wait=None)
    (first,) = linode_events(sim, linode["id"], "linode_create")
    assert first["status"] in ("scheduled", "started") and first["percent_complete"] < 100
    assert first["duration"] is None
    path = f"/account/events/{first['id']}"
    statuses, percents = [], []

    def probe():
        e = sim.get(path).json()
        if not statuses or statuses[-1] != e["status"]:
            statuses.append(e["status"])
        percents.append(e["percent_complete"])
        return e if e["status"] == "finished" else None

    done = wait_until(probe, timeout=10, interval=0.01, what="linode_create finished")
    order = ["scheduled", "started", "finished"]
    assert [order.index(s) for s in statuses] == sorted(order.index(s) for s in statuses), statuses
    assert "started" in statuses, statuses
    assert percents == sorted(percents), percents
    assert done["percent_complete"] == 100
    assert 0.3 <= done["duration"] < 10, done["duration"]
    assert wait_status(sim, linode["id"], "running")


def test_a_create_that_boots_has_a_boot_event_of_its_own(sim):
    """linode_create and linode_boot, as Linode records them: the boot is scheduled with the
    create, starts once the create has finished and finishes when the Linode runs."""
    linode = create_from_image(sim, wait=None)
    (boot,) = linode_events(sim, linode["id"], "linode_boot")
    # Scheduled when the create answered (a loaded machine may look only once it has started).
    assert boot["status"] in ("scheduled", "started", "finished"), boot
    seen = []

    (create,) = linode_events(sim, linode["id"], "linode_create")

    def probe():
        # The boot's event first: the create's, read after it, is at least as far along.
        b = sim.get(f"/account/events/{boot['id']}").json()
        c = sim.get(f"/account/events/{create['id']}").json()
        seen.append((c["status"], b["status"]))
        return b if b["status"] == "finished" else None

    done = wait_until(probe, timeout=15, interval=0.01, what="linode_boot finished")
    # The boot never started before the create had finished.
    assert all(c == "finished" for c, b in seen if b != "scheduled"), seen
    assert done["percent_complete"] == 100 and done["entity"]["id"] == linode["id"]
    assert wait_status(sim, linode["id"], "running")
    assert len(linode_events(sim, linode["id"], "linode_boot")) == 1


def test_a_create_that_does_not_boot_has_no_boot_event(instant):
    linode = create_from_image(instant, booted=False, wait="offline")
    assert linode_events(instant, linode["id"], "linode_boot") == []
    (create,) = linode_events(instant, linode["id"], "linode_create")
    assert create["status"] == "finished"


def test_a_create_deleted_before_it_boots_fails_its_boot_event(sim):
    linode = create_from_image(sim, wait=None)
    assert sim.delete(f"/linode/instances/{linode['id']}").status_code == 200
    wait_gone(sim, linode["id"])
    (boot,) = linode_events(sim, linode["id"], "linode_boot")
    assert boot["status"] == "failed"


def test_notification_events(instant):
    linode = create_linode(instant)
    instant.put(f"/linode/instances/{linode['id']}", json={"group": "evt"})
    event = wait_event(instant, linode["id"], "linode_update", status="notification")
    assert event["percent_complete"] is None or event["percent_complete"] == 100


def test_filters(instant):
    a = create_from_image(instant)
    b = create_linode(instant, wait="offline")
    instant.post(f"/linode/instances/{a['id']}/reboot")
    wait_event(instant, a["id"], "linode_reboot")
    flt = {"entity.id": a["id"], "entity.type": "linode", "+order_by": "id", "+order": "asc"}
    mine = instant.get_all("/account/events", filter=flt)
    assert [e["action"] for e in mine] == ["linode_create", "linode_boot", "linode_reboot"]
    assert {e["entity"]["id"] for e in mine} == {a["id"]}
    creates = instant.get_all("/account/events", filter={"action": "linode_create"})
    assert {a["id"], b["id"]} <= {e["entity"]["id"] for e in creates}
    assert {e["action"] for e in creates} == {"linode_create"}
    newer = instant.get_all("/account/events", filter={"id": {"+gt": mine[0]["id"]}})
    assert all(e["id"] > mine[0]["id"] for e in newer) and mine[1]["id"] in [e["id"] for e in newer]
    same = instant.get_all("/account/events", filter={"id": mine[1]["id"]})
    assert [e["id"] for e in same] == [mine[1]["id"]]
    since = instant.get_all("/account/events", filter={"created": {"+gte": mine[0]["created"]}})
    assert {e["id"] for e in mine} <= {e["id"] for e in since}
    assert instant.get_all("/account/events", filter={"created": {"+lt": "2000-01-01T00:00:00"}}) == []
    either = instant.get_all("/account/events", filter={
        "+or": [{"entity.id": a["id"]}, {"entity.id": b["id"]}], "action": "linode_create"})
    assert sorted(e["entity"]["id"] for e in either) == sorted([a["id"], b["id"]])
    assert instant.get_all("/account/events", filter={"entity.type": "nodebalancer"}) == []


def test_poller_filter_created_ascending(instant):
    """The filter event pollers send; events of the same second must still come oldest first."""
    linode = create_from_image(instant)
    instant.post(f"/linode/instances/{linode['id']}/reboot")
    wait_event(instant, linode["id"], "linode_reboot")
    instant.put(f"/linode/instances/{linode['id']}", json={"group": "poll"})
    flt = {"entity.id": linode["id"], "entity.type": "linode", "+order_by": "created", "+order": "asc"}
    got = instant.get_all("/account/events", filter=flt)
    assert [e["created"] for e in got] == sorted(e["created"] for e in got)
    assert [e["action"] for e in got] == ["linode_create", "linode_boot", "linode_reboot",
                                          "linode_update"]
    desc = instant.get_all("/account/events", filter=dict(flt, **{"+order": "desc"}))
    assert [e["id"] for e in desc] == [e["id"] for e in reversed(got)]


@pytest.mark.parametrize("field", ["status", "entity.label", "username", "seen", "percent_complete"])
def test_unfilterable_fields(instant, field):
    assert_error(instant.get("/account/events", filter={field: "x"}), 400, field="X-Filter")


def test_seen_marks_everything_up_to_the_event(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    linodes = [create_linode(srv, wait="offline") for _ in range(3)]
    events = srv.get_all("/account/events", filter={"+order_by": "id", "+order": "asc"})
    assert len(events) == 3 and not any(e["seen"] for e in events)
    middle = events[1]["id"]
    r = srv.post(f"/account/events/{middle}/seen")
    assert r.status_code == 200 and r.json() == {}, r.text
    after = srv.get_all("/account/events", filter={"+order_by": "id", "+order": "asc"})
    assert [e["seen"] for e in after] == [True, True, False]
    assert not any(e["read"] for e in after)
    assert srv.post(f"/account/events/{middle}/seen").status_code == 200
    assert len(linodes) == 3


def test_read_marks_one_event(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0"})
    for _ in range(3):
        create_linode(srv, wait="offline")
    events = srv.get_all("/account/events", filter={"+order_by": "id", "+order": "asc"})
    r = srv.post(f"/account/events/{events[1]['id']}/read")
    assert r.status_code == 200 and r.json() == {}, r.text
    after = srv.get_all("/account/events", filter={"+order_by": "id", "+order": "asc"})
    assert [e["read"] for e in after] == [False, True, False]
    assert [e["seen"] for e in after] == [False, False, False]
    assert [e["id"] for e in srv.get_all("/account/events", filter={"read": True})] == [events[1]["id"]]
    assert len(srv.get_all("/account/events", filter={"read": False})) == 2


def test_events_scope(instant):
    tok = instant.make_token("linodes:read_write")
    r = instant.get("/account/events", token=tok)
    assert_error(r, 401)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "events:read_only"
    tok = instant.make_token("events:read_only")
    events = assert_list(instant.get("/account/events", token=tok))
    assert instant.post(f"/account/events/{events[0]['id']}/read", token=tok).status_code == 200


def test_every_action_leaves_an_event(instant):
    """Drives one Linode through every action and checks the event trail it leaves."""
    linode = create_from_image(instant, type="g6-nanode-1")
    lid = linode["id"]
    path = f"/linode/instances/{lid}"

    def do(method, sub, body=None, settle=None, event=None, status="finished"):
        r = instant.request(method, path + sub, json=body)
        assert r.status_code == 200, f"{method} {sub}: {r.status_code} {r.text}"
        if event:
            wait_event(instant, lid, event, status=status)
        if settle:
            wait_status(instant, lid, settle)
        return r.json()

    expected = ["linode_create", "linode_boot"]
    steps = [
        ("PUT", "", {"label": unique_label("trail")}, None, "linode_update", "notification"),
        ("POST", "/reboot", {}, "running", "linode_reboot", "finished"),
        ("POST", "/shutdown", {}, "offline", "linode_shutdown", "finished"),
        ("POST", "/password", {"root_pass": ROOT_PASS}, "offline", "password_reset", "finished"),
        ("POST", "/boot", {}, "running", "linode_boot", "finished"),
        ("POST", "/rebuild", {"image": IMAGE, "root_pass": ROOT_PASS}, "running", "linode_rebuild",
         "finished"),
        ("POST", "/resize", {"type": "g6-standard-1", "allow_auto_disk_resize": False}, "running",
         "linode_resize", "finished"),
        ("POST", "/migrate", {"region": "eu-west"}, "running", "linode_migrate", "finished"),
        ("POST", "/rescue", {}, "running", "linode_rescue", "finished"),
        ("POST", "/ips", {"type": "ipv4", "public": True}, None, "linode_addip", "notification"),
        ("POST", "/shutdown", {}, "offline", "linode_shutdown", "finished"),
    ]
    for method, sub, body, settle, event, status in steps:
        do(method, sub, body, settle, event, status)
        expected.append(event)
    config = do("POST", "/configs", {"label": "trail"}, None, "linode_config_create", "notification")
    do("PUT", f"/configs/{config['id']}", {"label": "trail2"}, None, "linode_config_update",
       "notification")
    do("DELETE", f"/configs/{config['id']}", None, None, "linode_config_delete", "notification")
    disk = do("POST", "/disks", {"label": "trail", "size": 1000}, None, "disk_create")
    do("PUT", f"/disks/{disk['id']}", {"label": "trail2"}, None, "disk_update", "notification")
    do("POST", f"/disks/{disk['id']}/resize", {"size": 2000}, None, "disk_resize")
    do("POST", f"/disks/{disk['id']}/clone", {}, None, "disk_duplicate")
    do("DELETE", f"/disks/{disk['id']}", None, None, "disk_delete")
    do("POST", "/clone", {"region": "us-east", "type": "g6-standard-1"}, "offline", "linode_clone")
    expected += ["linode_config_create", "linode_config_update", "linode_config_delete",
                 "disk_create", "disk_update", "disk_resize", "disk_duplicate", "disk_delete",
                 "linode_clone"]
    do("DELETE", "", None, None, None)
    wait_gone(instant, lid)
    wait_event(instant, lid, "linode_delete")
    expected.append("linode_delete")
    trail = linode_events(instant, lid)
    assert [e["action"] for e in trail] == expected
    for e in trail:
        if e["status"] == "notification":
            continue
        assert e["status"] == "finished", e
        assert e["percent_complete"] == 100 and e["duration"] is not None, e
