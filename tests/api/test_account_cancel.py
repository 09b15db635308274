"""POST /account/cancel: the account's use is invoiced and its balance charged to its default card
(a 409 without one), its tokens and sign-ins end at once, its Linodes and volumes are deleted
through their jobs, and then every row of it is erased, while another account keeps all it had."""
import requests

from support import (ENGINE, IMAGE, Caller, account_user, assert_error, create_account,
                     create_from_image, csrf_token, db_execute, set_password, unique_label,
                     unique_username, wait_until)

CARD = {"type": "credit_card", "is_default": True,
        "data": {"card_number": "4111111111111111", "cvv": "123", "expiry_month": 12,
                 "expiry_year": 2031}}


def owned_tables(srv):
    if ENGINE == "postgresql":
        sql = ("SELECT table_name FROM information_schema.columns WHERE column_name = "
               "'account_id' AND table_schema = current_schema()")
    else:
        sql = ("SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = "
               "'table' AND c.name = 'account_id'")
    return sorted(r[0] for r in db_execute(srv.data_dir, sql))


def rows_of(srv, account_id):
    """How many rows each table with an account_id holds of the account (and its own row)."""
    counts = {t: db_execute(srv.data_dir, f"SELECT COUNT(*) FROM {t} WHERE account_id = ?",
                            (account_id,))[0][0] for t in owned_tables(srv)}
    counts["accounts"] = db_execute(srv.data_dir, "SELECT COUNT(*) FROM accounts WHERE id = ?",
                                    (account_id,))[0][0]
    return counts


def account_id_of(srv, username):
    return db_execute(srv.data_dir, "SELECT account_id FROM users WHERE username = ?",
                      (username,))[0][0]


def furnish(t, prefix):
    """A bit of everything in the account of T: a running Linode with a volume attached, a volume
    on its own, a NodeBalancer, a firewall, a Domain with a record, a VPC, a StackScript, an SSH
    key, an OAuth client, a support ticket, a Longview client and a tag."""
    linode = create_from_image(t, label=unique_label(prefix), tags=[prefix])
    made = {"linode": linode["id"]}
    posts = {
        "attached": ("/volumes", {"label": unique_label("va"), "size": 10,
                                  "linode_id": linode["id"]}),
        "volume": ("/volumes", {"label": unique_label("vb"), "size": 10, "region": "us-east"}),
        "nodebalancer": ("/nodebalancers", {"label": unique_label("nb"), "region": "us-east"}),
        "firewall": ("/networking/firewalls", {
            "label": unique_label("fw"), "rules": {"inbound_policy": "ACCEPT",
                                                   "outbound_policy": "ACCEPT"},
            "devices": {"linodes": [linode["id"]]}}),
        "domain": ("/domains", {"domain": f"{unique_label(prefix)}.example",
                                "type": "master", "soa_email": "admin@example.com"}),
        "vpc": ("/vpcs", {"label": unique_label("vpc").replace("_", "-").replace(".", "-"),
                          "region": "us-iad",
                          "subnets": [{"label": "s1", "ipv4": "10.0.0.0/24"}]}),
        "stackscript": ("/linode/stackscripts", {"label": unique_label("ss"), "images": [IMAGE],
                                                 "script": "#!/bin/sh\necho hi\n"}),
        "sshkey": ("/profile/sshkeys", {"label": "k", "ssh_key": (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXb7XQ7nJ9E7oQZzV1wLOnb0HN5b8fHqB1bUVTQnZ6I "
            "k@host")}),
        "client": ("/account/oauth-clients", {"label": "app",
                                              "redirect_uri": "http://127.0.0.1:9/cb"}),
        "ticket": ("/support/tickets", {"summary": "help", "description": "please",
                                        "linode_id": linode["id"]}),
        "longview": ("/longview/clients", {}),
    }
    for name, (path, body) in posts.items():
        r = t.post(path, json=body)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text}"
        made[name] = r.json()["id"]
    r = t.post(f"/domains/{made['domain']}/records", json={"type": "A", "name": "www",
                                                           "target": "192.0.2.7"})
    assert r.status_code == 200, r.text
    return made


def test_cancel_erases_the_account_and_nothing_else(instant):
    name, other_name = unique_username("gone"), unique_username("stays")
    token = create_account(instant.data_dir, name)
    me = Caller(instant, token)
    other = Caller(instant, create_account(instant.data_dir, other_name))
    mine = furnish(me, "gone")
    theirs = furnish(other, "stays")
    restricted_name = unique_username("rr")
    restricted = Caller(instant, account_user(instant.data_dir, name, restricted_name))
    set_password(instant.data_dir, name, "Pale-Lantern-47")
    account_id, other_id = account_id_of(instant, name), account_id_of(instant, other_name)
    before = rows_of(instant, other_id)
    assert rows_of(instant, account_id)["linodes"] == 1

    # Only an unrestricted user cancels, or one granted cancel_account; what is owed is paid
    # first.
    assert_error(restricted.post("/account/cancel", json={}), 403)
    grants = me.get(f"/account/users/{restricted_name}/grants").json()
    assert grants["global"]["cancel_account"] is False
    r = me.post("/account/cancel", json={"comments": "moving on"})
    assert_error(r, 409)
    assert "outstanding balance" in r.json()["errors"][0]["reason"]
    assert me.get("/account/invoices").json()["results"] == 0  # (the close went with the 409)
    assert_error(me.post("/account/cancel", json={"comments": 7}), 400, "comments")
    assert me.post("/account/payment-methods", json=CARD).status_code == 200

    r = me.post("/account/cancel", json={"comments": "moving on"})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"survey_link"}
    # At once: no token of the account works, and its users cannot sign in.
    assert_error(me.get("/profile"), 401)
    assert_error(restricted.get("/profile"), 401)
    browser = requests.Session()
    page = browser.get(instant.root + "/login", timeout=10)
    r = browser.post(instant.root + "/login", allow_redirects=False, timeout=30,
                     data={"csrf_token": csrf_token(page.text), "username": name,
                           "password": "Pale-Lantern-47"})
    assert r.status_code != 303

    # Its Linodes and volumes go through their jobs, then every row of it.
    wait_until(lambda: sum(rows_of(instant, account_id).values()) == 0, timeout=30,
               what="the cancelled account's rows to go")
    assert db_execute(instant.data_dir, "SELECT COUNT(*) FROM users WHERE username = ?",
                      (name,))[0][0] == 0
    # The other account has all it had.
    assert rows_of(instant, other_id) == before
    for path in (f"/linode/instances/{theirs['linode']}", f"/volumes/{theirs['volume']}",
                 f"/nodebalancers/{theirs['nodebalancer']}", f"/domains/{theirs['domain']}",
                 f"/networking/firewalls/{theirs['firewall']}", f"/vpcs/{theirs['vpc']}",
                 f"/support/tickets/{theirs['ticket']}"):
        assert other.get(path).status_code == 200, path
    assert other.get(f"/linode/instances/{theirs['linode']}").json()["status"] == "running"


def test_a_user_granted_cancel_account_cancels_one_with_nothing_owed(instant):
    name, helper = unique_username("empty"), unique_username("hh")
    me = Caller(instant, create_account(instant.data_dir, name))
    them = Caller(instant, account_user(instant.data_dir, name, helper))
    r = me.put(f"/account/users/{helper}/grants", json={"global": {"cancel_account": True}})
    assert r.status_code == 200, r.text
    account_id = account_id_of(instant, name)
    r = them.post("/account/cancel", json={})
    assert r.status_code == 200, r.text
    assert_error(me.get("/account"), 401)
    wait_until(lambda: sum(rows_of(instant, account_id).values()) == 0, timeout=30,
               what="the cancelled account's rows to go")
