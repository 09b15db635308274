"""Support tickets: opened about one of the account's entities (or none), replied to by the
account and by the operator (`linnetd support reply`, which makes a new ticket open), files
attached as multipart (kept in the shared folder, limited in name, kind and size), closed; the
lists, filters and events; another account sees none of it."""
import hashlib

from support import assert_error, assert_list, create_account, create_from_image, linnetd, \
    unique_username

FIELDS = {"id", "summary", "description", "status", "entity", "attachments", "closable",
          "gravatar_id", "opened", "opened_by", "updated", "updated_by", "closed"}


def operator_reply(srv, ticket, text):
    return linnetd(["support", "reply", str(ticket)], srv.data_dir, input=text,
                   capture_output=True, text=True, timeout=30)


def attach(srv, ticket, name, content, **kw):
    return srv.post(f"/support/tickets/{ticket}/attachments",
                    files={"file": (name, content)}, **kw)


def test_a_ticket_from_open_to_closed(instant):
    srv = instant
    linode = create_from_image(srv)
    r = srv.post("/support/tickets", json={"summary": "Cannot reach my Linode",
                                           "description": "SSH times out since this morning.",
                                           "linode_id": linode["id"]})
    assert r.status_code == 200, r.text
    t = r.json()
    assert set(t) == FIELDS
    assert t["status"] == "new" and t["closable"] is True and t["closed"] is None
    assert t["entity"] == {"id": linode["id"], "label": linode["label"], "type": "linode",
                           "url": f"/v4/linode/instances/{linode['id']}"}
    me = srv.get("/profile").json()
    assert t["opened_by"] == me["username"]
    assert t["gravatar_id"] == hashlib.md5(me["email"].strip().lower().encode()).hexdigest()
    assert srv.get(f"/support/tickets/{t['id']}").json() == t
    assert t["id"] in [x["id"] for x in srv.get_all("/support/tickets",
                                                    filter={"status": "new"})]

    reply = srv.post(f"/support/tickets/{t['id']}/replies",
                     json={"description": "It answers ping."}).json()
    assert set(reply) == {"id", "description", "created", "created_by", "gravatar_id",
                          "from_linode"}
    assert reply["from_linode"] is False and reply["created_by"] == me["username"]
    out = operator_reply(srv, t["id"], "We restarted the host's network.\n")
    assert out.returncode == 0, out.stderr
    replies = srv.get_all(f"/support/tickets/{t['id']}/replies")
    assert [(x["from_linode"], x["created_by"]) for x in replies] == [
        (False, me["username"]), (True, "Linnet Support")]
    assert replies[1]["description"] == "We restarted the host's network.\n"
    assert srv.get(f"/support/tickets/{t['id']}").json()["status"] == "open"
    listed = linnetd(["support", "list"], srv.data_dir, capture_output=True, text=True,
                     timeout=30)
    assert str(t["id"]) in listed.stdout

    assert attach(srv, t["id"], "trace.log", b"traceroute output\n").json() == {}
    stored = srv.data_dir / "attachments" / str(t["id"]) / "trace.log"
    assert stored.read_bytes() == b"traceroute output\n"
    for name, content in [("trace.log", b"again"), ("../evil.log", b"x"), ("run.exe", b"x"),
                          ("big.txt", b"x" * 1_000_001), ("empty.txt", b"")]:
        assert_error(attach(srv, t["id"], name, content), 400, "file")
    assert_error(srv.post(f"/support/tickets/{t['id']}/attachments", json={}), 400, "file")
    assert srv.get(f"/support/tickets/{t['id']}").json()["attachments"] == ["trace.log"]

    assert srv.post(f"/support/tickets/{t['id']}/close").json() == {}
    closed = srv.get(f"/support/tickets/{t['id']}").json()
    assert closed["status"] == "closed" and closed["closed"] and closed["closable"] is False
    assert_error(srv.post(f"/support/tickets/{t['id']}/close"), 400)
    assert_error(srv.post(f"/support/tickets/{t['id']}/replies", json={"description": "x"}), 400)
    assert operator_reply(srv, t["id"], "late").returncode != 0
    actions = [e["action"] for e in srv.get_all("/account/events", filter={
        "entity.type": "ticket", "entity.id": t["id"]})]
    assert sorted(set(actions)) == ["ticket_attachment_upload", "ticket_create", "ticket_update"]


def test_what_a_ticket_takes(instant):
    srv = instant
    for body, field in [({"description": "x"}, "summary"),
                        ({"summary": "x"}, "description"),
                        ({"summary": "s" * 65, "description": "x"}, "summary"),
                        ({"summary": "s", "description": "x", "linode_id": 987654321},
                         "linode_id"),
                        ({"summary": "s", "description": "x", "lkecluster_id": 1},
                         "lkecluster_id")]:
        assert_error(srv.post("/support/tickets", json=body), 400, field)
    linode = create_from_image(srv)
    vpc = srv.post("/vpcs", json={"label": unique_username("tv"), "region": "us-iad"}).json()
    assert_error(srv.post("/support/tickets", json={
        "summary": "s", "description": "d", "linode_id": linode["id"], "vpc_id": vpc["id"]}),
        400)
    t = srv.post("/support/tickets", json={"summary": "About my VPC", "description": "d",
                                           "vpc_id": vpc["id"]}).json()
    assert t["entity"]["type"] == "vpc" and t["entity"]["url"] == f"/v4/vpcs/{vpc['id']}"
    plain = srv.post("/support/tickets", json={"summary": "A question", "description": "d"})
    assert plain.json()["entity"] is None

    # Another account sees none of it.
    other = dict(token=create_account(srv.data_dir, unique_username("tk")))
    assert srv.get("/support/tickets", **other).json()["data"] == []
    assert_error(srv.get(f"/support/tickets/{t['id']}", **other), 404)
    assert_error(srv.post(f"/support/tickets/{t['id']}/close", **other), 404)
    assert_list(srv.get("/support/tickets", filter={"summary": "About my VPC"}))
