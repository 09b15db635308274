"""Linode Managed: enabled per account, for its unrestricted users: contacts, credentials sealed at
rest, the account's SSH key, each Linode's SSH settings, services that linnetd really checks (an
HTTP server and a TCP port of this test, on 127.0.0.1) with issues and support tickets opened
when they fail and closed when they recover, and the last day's stats."""
import http.server
import socket
import threading

import pytest

from support import (Caller, account_user, assert_error, create_account, create_from_image,
                     db_execute, free_port, linnetd, unique_username, wait_until)


class Site:
    """An HTTP server on 127.0.0.1 whose answer the test sets: (status, body)."""

    def __init__(self):
        self.answer = (200, b"hello from linnet")
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = site.answer
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def checked(spawn):
    """A server that checks Managed services every second."""
    return spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0",
                                        "LINNET_MANAGED_INTERVAL_SECONDS": "1"})


def managed_account(srv, prefix="mg"):
    name = unique_username(prefix)
    me = Caller(srv, create_account(srv.data_dir, name))
    assert me.post("/account/settings/managed-enable").status_code == 200
    return name, me


def test_managed_is_enabled_per_account_for_unrestricted_users(instant):
    name = unique_username("mg")
    me = Caller(instant, create_account(instant.data_dir, name))
    assert_error(me.get("/managed/contacts"), 403)
    assert_error(me.get("/managed/credentials/sshkey"), 403)
    assert me.get("/account/settings").json()["managed"] is False
    helper = Caller(instant, account_user(instant.data_dir, name, unique_username("h")))
    assert_error(helper.post("/account/settings/managed-enable"), 403)
    assert me.post("/account/settings/managed-enable").status_code == 200
    assert me.get("/account/settings").json()["managed"] is True
    assert_error(helper.get("/managed/contacts"), 403)
    key = me.get("/managed/credentials/sshkey").json()["ssh_key"]
    assert key.startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5") and key.endswith(" managed@linnet")
    # Enabling again keeps the key.
    assert me.post("/account/settings/managed-enable").status_code == 200
    assert me.get("/managed/credentials/sshkey").json()["ssh_key"] == key


def test_contacts(instant):
    _, me = managed_account(instant)
    r = me.post("/managed/contacts", json={"name": "Jo Doe", "email": "jo@example.com",
                                            "phone": {"primary": "123-456-7890",
                                                      "secondary": None},
                                            "group": "on-call"})
    assert r.status_code == 200, r.text
    jo = r.json()
    assert jo["phone"] == {"primary": "123-456-7890", "secondary": None}
    assert jo["group"] == "on-call" and jo["updated"]
    other = me.post("/managed/contacts", json={"name": "Al", "email": "al@example.com"}).json()
    assert other["group"] is None and other["phone"] == {"primary": None, "secondary": None}
    assert [c["id"] for c in me.get("/managed/contacts",
                                    filter={"group": "on-call"}).json()["data"]] == [jo["id"]]
    assert me.get(f"/managed/contacts/{jo['id']}").json() == jo
    r = me.put(f"/managed/contacts/{jo['id']}", json={"group": None, "name": "Jo"})
    assert r.status_code == 200 and r.json()["group"] is None and r.json()["name"] == "Jo"
    assert_error(me.post("/managed/contacts", json={"name": "J", "email": "x@example.com"}),
                 400, "name")
    assert_error(me.post("/managed/contacts", json={"name": "Jay", "email": "nope"}), 400,
                 "email")
    assert_error(me.post("/managed/contacts", json={"name": "Jay"}), 400, "email")
    assert_error(me.post("/managed/contacts", json={"name": "Jay", "email": "j@example.com",
                                                    "phone": "555"}), 400, "phone")
    assert me.delete(f"/managed/contacts/{jo['id']}").status_code == 200
    assert_error(me.get(f"/managed/contacts/{jo['id']}"), 404)
    assert_error(me.get("/managed/contacts/99999999"), 404)


def test_credentials_are_sealed_and_never_shown(instant):
    name, me = managed_account(instant)
    r = me.post("/managed/credentials", json={"label": "db-root", "username": "root",
                                               "password": "Sw0rdfish-Sekret"})
    assert r.status_code == 200, r.text
    cred = r.json()
    assert cred == {"id": cred["id"], "label": "db-root", "last_decrypted": None}
    assert me.get(f"/managed/credentials/{cred['id']}").json() == cred
    assert [c["id"] for c in me.get("/managed/credentials").json()["data"]] == [cred["id"]]
    # At rest: sealed, not the password or username in any form the test can spot.
    [(user, password)] = db_execute(
        instant.data_dir, "SELECT sealed_username, sealed_password FROM managed_credentials "
        "WHERE id = ?", (cred["id"],))
    assert "Sw0rdfish" not in password and "root" != user and len(password) > 40
    assert (instant.data_dir / "managed.key").stat().st_mode & 0o077 == 0
    assert_error(me.post("/managed/credentials", json={"label": "db-root", "password": "x"}),
                 400, "label")
    assert_error(me.post("/managed/credentials", json={"label": "other"}), 400, "password")
    r = me.put(f"/managed/credentials/{cred['id']}", json={"label": "db-admin"})
    assert r.status_code == 200 and r.json()["label"] == "db-admin"
    r = me.post(f"/managed/credentials/{cred['id']}/update",
                json={"username": "admin", "password": "N3w-Sekret"})
    assert r.status_code == 200, r.text
    [(user2, password2)] = db_execute(
        instant.data_dir, "SELECT sealed_username, sealed_password FROM managed_credentials "
        "WHERE id = ?", (cred["id"],))
    assert password2 != password and user2 != user
    assert_error(me.post(f"/managed/credentials/{cred['id']}/update", json={}), 400, "password")
    # The operator's team opens them with the vault's key.
    out = linnetd(["managed", "credentials", "--account", name], instant.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "db-admin" in out.stdout and "admin" in out.stdout and "N3w-Sekret" in out.stdout
    assert me.get(f"/managed/credentials/{cred['id']}").json()["last_decrypted"]
    assert me.post(f"/managed/credentials/{cred['id']}/revoke").status_code == 200
    assert_error(me.get(f"/managed/credentials/{cred['id']}"), 404)


def test_linode_ssh_settings(instant):
    _, me = managed_account(instant)
    linode = create_from_image(me)
    settings = me.get(f"/managed/linode-settings/{linode['id']}").json()
    assert settings == {"id": linode["id"], "label": linode["label"], "group": "",
                        "ssh": {"access": True, "user": None, "ip": "any", "port": None}}
    assert [s["id"] for s in me.get("/managed/linode-settings").json()["data"]] == [linode["id"]]
    ssh = {"access": False, "user": "ops", "ip": linode["ipv4"][0], "port": 2222}
    r = me.put(f"/managed/linode-settings/{linode['id']}", json={"ssh": ssh})
    assert r.status_code == 200 and r.json()["ssh"] == ssh
    assert me.get(f"/managed/linode-settings/{linode['id']}").json()["ssh"] == ssh
    assert_error(me.put(f"/managed/linode-settings/{linode['id']}",
                        json={"ssh": {"ip": "192.0.2.99"}}), 400, "ssh.ip")
    assert_error(me.put(f"/managed/linode-settings/{linode['id']}",
                        json={"ssh": {"port": 70000}}), 400, "ssh.port")
    assert_error(me.get("/managed/linode-settings/99999999"), 404)


def status_of(me, service):
    return me.get(f"/managed/services/{service['id']}").json()["status"]


def test_a_url_service_is_checked_and_its_failure_opens_an_issue(checked, site):
    _, me = managed_account(checked)
    cred = me.post("/managed/credentials", json={"label": "web", "password": "p"}).json()
    r = me.post("/managed/services", json={
        "label": "website", "service_type": "url", "timeout": 3,
        "address": f"http://127.0.0.1:{site.port}/health?no-cache=1", "body": "hello",
        "consultation_group": "on-call", "credentials": [cred["id"]]})
    assert r.status_code == 200, r.text
    service = r.json()
    assert service["status"] == "pending" and service["credentials"] == [cred["id"]]
    wait_until(lambda: status_of(me, service) == "ok", timeout=20, what="the first check")
    assert me.get("/managed/issues").json()["results"] == 0

    # It answers without the body it should: a problem, an issue and its ticket.
    site.answer = (200, b"maintenance page")
    wait_until(lambda: status_of(me, service) == "problem", timeout=20, what="the failure")
    [issue] = me.get("/managed/issues").json()["data"]
    assert issue["services"] == [service["id"]] and issue["entity"]["type"] == "ticket"
    ticket = me.get(f"/support/tickets/{issue['entity']['id']}").json()
    assert "website" in ticket["summary"] and "without the expected body" in ticket["description"]
    assert me.get(f"/managed/issues/{issue['id']}").json() == issue
    site.answer = (503, b"hello")
    wait_until(lambda: me.get("/managed/services").json()["data"][0]["status"] == "problem",
               timeout=20, what="another failed check")
    assert me.get("/managed/issues").json()["results"] == 1  # still the one issue

    # It recovers: the ticket is answered and closed.
    site.answer = (200, b"hello again")
    wait_until(lambda: status_of(me, service) == "ok", timeout=20, what="the recovery")
    ticket = me.get(f"/support/tickets/{issue['entity']['id']}").json()
    assert ticket["status"] == "closed"
    replies = me.get(f"/support/tickets/{ticket['id']}/replies").json()["data"]
    assert any("up again" in r["description"] for r in replies)

    # Disabled, it is not checked; enabled, it waits for its next check.
    assert me.post(f"/managed/services/{service['id']}/disable").json()["status"] == "disabled"
    site.answer = (500, b"")
    assert status_of(me, service) == "disabled"
    assert me.post(f"/managed/services/{service['id']}/enable").json()["status"] == "pending"
    wait_until(lambda: status_of(me, service) == "problem", timeout=20, what="a check")
    assert me.get("/managed/issues").json()["results"] == 2
    assert me.delete(f"/managed/services/{service['id']}").status_code == 200
    assert_error(me.get(f"/managed/services/{service['id']}"), 404)


def test_a_tcp_service_is_up_while_its_port_listens(checked):
    _, me = managed_account(checked)
    port = free_port()
    r = me.post("/managed/services", json={"label": "postgres", "service_type": "tcp",
                                            "address": f"127.0.0.1:{port}", "timeout": 2})
    assert r.status_code == 200, r.text
    service = r.json()
    wait_until(lambda: status_of(me, service) == "problem", timeout=20, what="a refused check")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(8)
    try:
        wait_until(lambda: status_of(me, service) == "ok", timeout=20, what="a connected check")
    finally:
        listener.close()


def test_services_are_validated(instant):
    _, me = managed_account(instant)
    base = {"label": "svc", "service_type": "url", "address": "http://127.0.0.1:9/",
            "timeout": 5}

    def refused(field, **change):
        body = dict(base, **change)
        body = {k: v for k, v in body.items() if v is not None}
        assert_error(me.post("/managed/services", json=body), 400, field)

    refused("label", label="ab")
    refused("service_type", service_type="icmp")
    refused("address", address="ftp://127.0.0.1/")
    refused("address", service_type="tcp", address="127.0.0.1")
    refused("address", service_type="tcp", address="127.0.0.1:99999")
    refused("timeout", timeout=0)
    refused("timeout", timeout=256)
    refused("timeout", timeout=None)
    refused("region", address="http://10.0.0.5/")  # a private address needs its region
    refused("region", region="us-east")  # a public one has none
    refused("credentials", credentials=[99999999])
    # Never the control plane's link-local neighbours (metadata), unspecified or multicast.
    refused("address", address="http://169.254.169.254/latest/meta-data/")
    refused("address", service_type="tcp", address="0.0.0.0:22")
    refused("address", service_type="tcp", address="[fe80::1]:22")
    refused("address", address="http://224.0.0.1/")
    refused("body", body="x" * 101)
    r = me.post("/managed/services", json=dict(base, label="fine"))
    assert r.status_code == 200, r.text
    assert me.post(f"/managed/services/{r.json()['id']}/disable").status_code == 200
    r = me.put(f"/managed/services/{r.json()['id']}", json={"label": "renamed"})
    assert r.status_code == 200 and r.json()["label"] == "renamed"
    assert r.json()["status"] == "disabled"


def test_stats_sum_the_last_day_of_the_accounts_linodes(instant):
    _, me = managed_account(instant)
    stats = me.get("/managed/stats").json()["data"]
    assert set(stats) == {"cpu", "disk", "net_in", "net_out", "swap"}
    create_from_image(me)
    stats = me.get("/managed/stats").json()["data"]
    assert stats["cpu"] and all(set(p) == {"x", "y"} and p["y"] >= 0 for p in stats["cpu"])
    assert len({len(series) for series in stats.values()}) == 1
