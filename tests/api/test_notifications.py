"""/account/notifications and /account/maintenance from the state of the account's Linodes: a
drained qemu host schedules its Linodes' migrations (maintenance, and a migration_scheduled
notification), a lost host's Linodes are in an outage, a Linode whose latest job failed has a
notice; another account and a restricted user without the Linode see none of it. (The hosts are
the sim driver's, marked qemu in the store, and the outage and the failed job are written there
as the reaper and a failing driver would write them.)"""
from support import (account_user, assert_error, create_account, create_from_image, db_execute,
                     linnetd, unique_username, wait_until)


def host_of(srv, linode_id):
    return db_execute(srv.data_dir, "SELECT h.id, h.name FROM linodes l JOIN hosts h ON h.id = "
                                    "l.host_id WHERE l.id = ?", (linode_id,))[0]


def test_notifications_and_maintenance_follow_the_linodes(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_SIM_HOSTS": "1", "LINNET_SIM_SCALE": "0"})
    assert srv.get("/account/notifications").json()["data"] == []
    assert srv.get("/account/maintenance").json()["data"] == []
    drained, lost, failing = (create_from_image(srv, region=r)
                              for r in ("us-east", "us-ord", "eu-west"))

    db_execute(srv.data_dir, "UPDATE hosts SET driver = 'qemu'")
    host_id, host_name = host_of(srv, drained["id"])
    out = linnetd(["host", "drain", host_name], srv.data_dir, capture_output=True, text=True,
                  timeout=30)
    assert "1 migration(s) scheduled" in out.stdout, out.stdout + out.stderr
    lost_host = host_of(srv, lost["id"])
    db_execute(srv.data_dir, "INSERT INTO host_outages (linode_id, host_id, status) VALUES "
                             "(?, ?, 'running')", (lost["id"], lost_host[0]))
    db_execute(srv.data_dir, "UPDATE events SET status = 'failed' WHERE id = (SELECT MAX(id) "
                             "FROM events WHERE entity_type = 'linode' AND entity_id = ? AND "
                             "status = 'finished')", (failing["id"],))

    notes = {n["entity"]["id"]: n for n in srv.get_all("/account/notifications")}
    assert set(notes) == {drained["id"], lost["id"], failing["id"]}
    assert (notes[drained["id"]]["type"], notes[drained["id"]]["severity"]) == (
        "migration_scheduled", "major")
    assert host_name in notes[drained["id"]]["message"] and notes[drained["id"]]["when"]
    assert (notes[lost["id"]]["type"], notes[lost["id"]]["severity"]) == ("outage", "critical")
    assert (notes[failing["id"]]["type"], notes[failing["id"]]["severity"]) == (
        "notice", "major")
    assert set(notes[failing["id"]]) == {"type", "severity", "label", "message", "body",
                                         "entity", "when", "until"}
    assert notes[failing["id"]]["entity"] == {
        "id": failing["id"], "label": failing["label"], "type": "linode",
        "url": f"/v4/linode/instances/{failing['id']}"}
    assert [n["type"] for n in srv.get_all("/account/notifications",
                                           filter={"type": "outage"})] == ["outage"]

    [m] = srv.get_all("/account/maintenance")
    assert m["entity"]["id"] == drained["id"]
    assert (m["status"], m["type"]) == ("pending", "cold_migration")
    assert host_name in m["reason"] and m["when"]
    assert srv.get_all("/account/maintenance", filter={"status": "completed"}) == []
    assert len(srv.get_all("/account/maintenance", filter={"when": {"+gte": "2000-01-01T00:00:00"}})) == 1

    # Another account, and a restricted user who may not read the Linodes, see nothing.
    other = create_account(srv.data_dir, unique_username("nt"))
    assert srv.get("/account/notifications", token=other).json()["data"] == []
    assert srv.get("/account/maintenance", token=other).json()["data"] == []
    owner = srv.get("/profile").json()["username"]
    restricted = account_user(srv.data_dir, owner, unique_username("nr"))
    assert srv.get("/account/maintenance", token=restricted).json()["data"] == []

    # A later job that finishes clears the notice.
    assert srv.post(f"/linode/instances/{failing['id']}/reboot").status_code == 200
    wait_until(lambda: failing["id"] not in {n["entity"]["id"] for n in
                                             srv.get_all("/account/notifications")},
               what="the notice cleared")
    assert_error(srv.get("/account/maintenance", token=None), 401)
