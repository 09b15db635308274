"""Helpers for the API tests: start/stop a linnetd server, make tokens, call the API.
Every request goes to 127.0.0.1 only."""
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from ports import free_port  # noqa: F401 (tests take it from here)

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "data" / "catalog"
BIN = os.environ.get("LINNET_BIN") or str(REPO / "build" / "linnetd")

_DEFAULT = object()

# The engine the suite runs on: LINNET_TEST_ENGINE=sqlite (default) or postgresql. On PostgreSQL
# each data folder gets a database of its own in the session's cluster (see conftest.py).
ENGINE = os.environ.get("LINNET_TEST_ENGINE", "sqlite")
PG_CLUSTER = None


def store_env(data_dir):
    """The environment that points linnetd at the store of DATA_DIR on the suite's engine."""
    if ENGINE != "postgresql":
        return {}
    assert PG_CLUSTER is not None, "the PostgreSQL cluster is not running"
    name = "linnet_" + hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return {"LINNET_DATABASE": PG_CLUSTER.database(name)}


def db_execute(data_dir, sql, params=()):
    """Runs one statement ("?" placeholders) on the store of DATA_DIR, on the suite's engine, and
    returns its rows (tests that look behind the API: hashes at rest, rows the API cannot add)."""
    if ENGINE == "postgresql":
        import psycopg2
        with psycopg2.connect(store_env(data_dir)["LINNET_DATABASE"]) as db:
            with db.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), tuple(params))
                return cur.fetchall() if cur.description else []
    import sqlite3
    db = sqlite3.connect(Path(data_dir) / "linnet.db", timeout=10)
    try:
        with db:
            return db.execute(sql, tuple(params)).fetchall()
    finally:
        db.close()


def linnetd(args, data_dir, **kw):
    """Runs `linnetd ARGS --data DATA_DIR` against the suite's engine."""
    env = dict(os.environ, **store_env(data_dir))
    env.update(kw.pop("env", {}))
    return subprocess.run([BIN, *args, "--data", str(data_dir)], env=env, **kw)


def load_catalog(name):
    """The objects of data/catalog/NAME.json, in file order."""
    with open(CATALOG / f"{name}.json") as f:
        return json.load(f)


def create_token(data_dir, scopes="*", user=None, label=None):
    cmd = ["token", "create", "--scopes", scopes]
    if user:
        cmd += ["--user", user]
    if label:
        cmd += ["--label", label]
    out = linnetd(cmd, data_dir, check=True, capture_output=True, text=True, timeout=20)
    token = out.stdout.strip()
    assert len(token) == 64 and "\n" not in token, f"token create printed {out.stdout!r}"
    return token


class Server:
    """A running `linnetd serve` on 127.0.0.1 with its own data dir."""

    def __init__(self, data_dir, env=None):
        self.data_dir = Path(data_dir)
        self.env = dict(env or {})
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.base_url = self.root + "/v4"
        self.token = None
        self.proc = None
        # Its DNS server answers on a port of its own (servers run side by side).
        self.dns_port = free_port()
        self.env.setdefault("LINNET_DNS_LISTEN", f"127.0.0.1:{self.dns_port}")

    def start(self, timeout=20):
        env = dict(os.environ, LINNET_RATE_LIMITS="off")
        env.update(store_env(self.data_dir))
        env.update(self.env)
        self.log = open(self.data_dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--data", str(self.data_dir), "--listen", f"127.0.0.1:{self.port}"],
            cwd=str(REPO), env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"linnetd exited early with {self.proc.returncode}"
            try:
                if requests.get(self.root + "/healthz", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.05)
        self.kill()
        raise AssertionError("linnetd did not answer /healthz within %ss" % timeout)

    def terminate(self, timeout=10):
        """SIGTERM; returns the exit code (None if it did not exit in time)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def make_token(self, scopes="*", user=None, label=None):
        return create_token(self.data_dir, scopes, user, label)

    def request(self, method, path, token=_DEFAULT, filter=None, headers=None, **kw):
        """path is relative to /v4 unless it starts with http."""
        h = dict(headers or {})
        if token is _DEFAULT:
            token = self.token
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if filter is not None:
            h["X-Filter"] = filter if isinstance(filter, str) else json.dumps(filter)
        url = path if path.startswith("http") else self.base_url + path
        kw.setdefault("timeout", 10)
        return requests.request(method, url, headers=h, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def get_all(self, path, page_size=500, **kw):
        """Every item of a paginated list, following pages."""
        items, page = [], 1
        while True:
            r = self.get(path, params={"page": page, "page_size": page_size}, **kw)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["data"]
            if page >= body["pages"]:
                return items
            page += 1


class Caller:
    """SRV as the holder of TOKEN, for the helpers that take a server (create_linode, ...)."""

    def __init__(self, srv, token):
        self.srv, self.token = srv, token
        self.data_dir, self.root = srv.data_dir, srv.root

    def request(self, method, path, **kw):
        return self.srv.request(method, path, token=self.token, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def assert_error(resp, status, field=None, reason=None):
    """resp is an error in the API's shape; returns the errors list."""
    assert resp.status_code == status, f"{resp.status_code} {resp.text}"
    assert resp.headers.get("Content-Type", "").startswith("application/json")
    body = resp.json()
    assert list(body) == ["errors"], body
    errors = body["errors"]
    assert isinstance(errors, list) and errors, body
    for e in errors:
        assert isinstance(e.get("reason"), str) and e["reason"], body
        assert set(e) <= {"reason", "field"}, body
    if field is not None:
        assert field in [e.get("field") for e in errors], body
    if reason is not None:
        assert reason in [e["reason"] for e in errors], body
    return errors


def assert_list(resp, results=None):
    """resp is a list envelope; returns its data."""
    assert resp.status_code == 200, f"{resp.status_code} {resp.text}"
    body = resp.json()
    assert set(body) == {"data", "page", "pages", "results"}, body.keys()
    assert isinstance(body["data"], list)
    if results is not None:
        assert body["results"] == results, (body["results"], results)
    return body["data"]


# --- Linodes: creating them, waiting for statuses and events ------------------------------------

ROOT_PASS = "Lnt-7xQ!rv93Kp"
IMAGE = "linode/debian12"
SETTLED = ("running", "offline")
_labels = iter(range(1, 10**9))


def unique_label(prefix="t"):
    """A Linode label no other test in this run uses (3-64 chars, letters, digits, - and _)."""
    return f"{prefix}-{os.getpid()}-{next(_labels)}"


def wait_until(probe, timeout=10.0, interval=0.02, what="condition"):
    """Calls probe() until it returns something truthy; returns that value or fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def create_linode(srv, wait=None, timeout=15.0, **fields):
    """POST /linode/instances (us-east, g6-nanode-1 and a unique label unless given); returns the
    answer's document, or the document once its status is `wait` (a status or a tuple)."""
    body = {"region": "us-east", "type": "g6-nanode-1", "label": unique_label()}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    r = srv.post("/linode/instances", json=body)
    assert r.status_code == 200, f"create {body}: {r.status_code} {r.text}"
    linode = r.json()
    if wait:
        linode = wait_status(srv, linode["id"], wait, timeout=timeout)
    return linode


def create_from_image(srv, wait="running", **fields):
    fields.setdefault("image", IMAGE)
    fields.setdefault("root_pass", ROOT_PASS)
    return create_linode(srv, wait=wait, **fields)


def get_linode(srv, linode_id):
    r = srv.get(f"/linode/instances/{linode_id}")
    assert r.status_code == 200, f"GET linode {linode_id}: {r.status_code} {r.text}"
    return r.json()


def wait_status(srv, linode_id, status, timeout=15.0):
    """Polls GET /linode/instances/{id} until its status is `status` (or one of a tuple)."""
    wanted = (status,) if isinstance(status, str) else tuple(status)
    seen = []

    def probe():
        doc = get_linode(srv, linode_id)
        if not seen or seen[-1] != doc["status"]:
            seen.append(doc["status"])
        return doc if doc["status"] in wanted else None

    try:
        return wait_until(probe, timeout, what=f"linode {linode_id} status in {wanted}")
    except AssertionError as e:
        raise AssertionError(f"{e}; statuses seen: {seen}") from None


def watch_statuses(srv, linode_id, until, timeout=15.0, interval=0.01):
    """Every distinct status GET shows, in order, until one in `until`; returns the list."""
    until = (until,) if isinstance(until, str) else tuple(until)
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        status = get_linode(srv, linode_id)["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in until:
            return seen
        assert time.monotonic() < deadline, f"linode {linode_id} never reached {until}: {seen}"
        time.sleep(interval)


def wait_gone(srv, linode_id, timeout=15.0):
    wait_until(lambda: srv.get(f"/linode/instances/{linode_id}").status_code == 404, timeout,
               what=f"linode {linode_id} to be deleted")


def linode_events(srv, linode_id, action=None):
    """The events of a Linode (entity.id/entity.type filter), oldest first."""
    flt = {"entity.id": linode_id, "entity.type": "linode", "+order_by": "id", "+order": "asc"}
    if action:
        flt["action"] = action
    return srv.get_all("/account/events", filter=flt)


def wait_event(srv, linode_id, action, status="finished", timeout=15.0):
    """The newest `action` event of the Linode once its status is `status`."""
    def probe():
        events = linode_events(srv, linode_id, action)
        return events[-1] if events and events[-1]["status"] == status else None

    try:
        return wait_until(probe, timeout, what=f"{action} event of {linode_id} to be {status}")
    except AssertionError as e:
        raise AssertionError(f"{e}; events: {linode_events(srv, linode_id, action)}") from None


def assert_busy(resp):
    """The 400 a Linode held by a job answers with."""
    assert resp.status_code == 400, f"{resp.status_code} {resp.text}"
    assert resp.json() == {"errors": [{"reason": "Linode busy."}]}, resp.text


# --- Users and grants -----------------------------------------------------------------------------

def unique_username(prefix="u"):
    """A username no other test in this run uses (3-32 chars, the spec's pattern)."""
    return f"{prefix}{os.getpid()}x{next(_labels)}"


def run_user_cli(data_dir, *args, stdin=None):
    """`linnetd user ARGS... --data DATA_DIR`; returns the CompletedProcess (never raises)."""
    return linnetd(["user", *args], data_dir, input=stdin, capture_output=True, text=True,
                   timeout=30)


def restricted_user(srv, prefix="r"):
    """A new restricted user (made with `linnetd user create --restricted`) and a '*' token of
    theirs: (username, token)."""
    name = unique_username(prefix)
    out = run_user_cli(srv.data_dir, "create", name, "--email", f"{name}@example.com",
                       "--restricted")
    assert out.returncode == 0, out.stderr
    return name, srv.make_token("*", user=name)


def put_grants(srv, username, **grants):
    """PUT /account/users/USERNAME/grants as the server's (unrestricted) token; returns the
    answer's document."""
    r = srv.put(f"/account/users/{username}/grants", json=grants)
    assert r.status_code == 200, f"PUT grants of {username}: {r.status_code} {r.text}"
    return r.json()


# --- The login service: users with passwords, browser sessions, OAuth clients and PKCE ----------

def set_password(data_dir, username, password):
    """`linnetd user passwd NAME`, the password on standard input."""
    linnetd(["user", "passwd", username], data_dir, input=password, check=True,
            capture_output=True, text=True, timeout=30)


def make_user(srv, username, password, scopes="*"):
    """A user with a password (created through `linnetd token create --user`); returns a
    personal access token of theirs."""
    token = srv.make_token(scopes, user=username)
    set_password(srv.data_dir, username, password)
    return token


def csrf_token(html):
    """The CSRF token of the first form of a page."""
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, f"no csrf_token in the page: {html[:300]}"
    return m.group(1)


def sign_in(srv, username, password):
    """A requests.Session signed in to the login service."""
    browser = requests.Session()
    page = browser.get(srv.root + "/login", timeout=10)
    assert page.status_code == 200, page.text
    r = browser.post(srv.root + "/login", timeout=30, allow_redirects=False,
                     data={"csrf_token": csrf_token(page.text), "username": username,
                           "password": password})
    assert r.status_code == 303, f"{r.status_code} {r.text[:300]}"
    return browser


def pkce_pair():
    """(code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def create_client(srv, label="test-app", redirect_uri="http://127.0.0.1:9/callback",
                  public=False):
    r = srv.post("/account/oauth-clients",
                 json={"label": label, "redirect_uri": redirect_uri, "public": public})
    assert r.status_code == 200, r.text
    return r.json()


def query_of(location):
    """The parameters of a redirect's query, or of its fragment when it has one."""
    parts = urlsplit(location)
    return {k: v[0] for k, v in parse_qs(parts.fragment or parts.query).items()}


# --- Accounts (tenants) -----------------------------------------------------------------------------

def create_account(data_dir, username, email=None):
    """`linnetd account create USERNAME --email EMAIL`: a new account (tenant) whose first,
    unrestricted user is USERNAME; returns that user's personal access token (scopes '*')."""
    email = email or f"{username}@example.com"
    out = linnetd(["account", "create", username, "--email", email], data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"account create {username}: {out.returncode} {out.stderr}"
    token = out.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token), f"account create printed {out.stdout!r}"
    return token


def account_user(data_dir, account, username, restricted=True, scopes="*"):
    """A user of ACCOUNT (an account id or the username of one of its users) made with
    `linnetd user create NAME --email E [--restricted] --account ACCOUNT`, and a token of theirs
    (`linnetd token create --user NAME --account ACCOUNT`)."""
    args = ["create", username, "--email", f"{username}@example.com", "--account", str(account)]
    if restricted:
        args.append("--restricted")
    out = run_user_cli(data_dir, *args)
    assert out.returncode == 0, f"user create {username}: {out.returncode} {out.stderr}"
    out = linnetd(["token", "create", "--scopes", scopes, "--user", username,
                   "--account", str(account)], data_dir, capture_output=True, text=True,
                  timeout=30)
    assert out.returncode == 0, f"token create --user {username}: {out.returncode} {out.stderr}"
    token = out.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", token), f"token create printed {out.stdout!r}"
    return token


def authorize_app(srv, browser, client, scopes="linodes:read_only"):
    """Runs the OAuth code flow (with PKCE) for a signed-in browser and a confidential CLIENT,
    granting every offered scope; returns the token endpoint's answer."""
    verifier, challenge = pkce_pair()
    page = browser.get(srv.root + "/oauth/authorize", allow_redirects=False, timeout=10,
                       params={"client_id": client["id"], "response_type": "code",
                               "scopes": scopes, "state": "st", "code_challenge": challenge,
                               "code_challenge_method": "S256"})
    assert page.status_code == 200, f"{page.status_code} {page.text[:300]}"
    form = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form["scope"] = re.findall(r'type="checkbox" name="scope" id="[^"]+" value="([^"]+)"',
                               page.text)
    form["decision"] = "approve"
    r = browser.post(srv.root + "/oauth/authorize", data=form, allow_redirects=False, timeout=10)
    assert r.status_code == 303, f"{r.status_code} {r.text[:300]}"
    code = query_of(r.headers["Location"])["code"]
    r = requests.post(srv.root + "/oauth/token", timeout=10,
                      data={"grant_type": "authorization_code", "client_id": client["id"],
                            "client_secret": client["secret"], "code": code,
                            "code_verifier": verifier})
    assert r.status_code == 200, r.text
    return r.json()


SSH_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcKWXa5yCsgP8TeBNFd0PT3e2ewHVKrO/D5Wg0nDwyB "
           "a@b")


def live_objects(srv, prefix):
    """One live object of each kind a route path can name, made on SRV (an instant server with
    a '*' token): a Linode with its disk, config (with a public interface) and address, a
    restricted user, a token, an OAuth client, an SSH key, an event, a volume, a StackScript, a
    backup, a firewall guarding the Linode (with its device), a placement group, a NodeBalancer
    with a config and a node, a Domain with a record, an IPv6 range routed to the Linode, a VPC with
    a subnet, a second Linode offered in an entity transfer (its token), a support ticket, a
    payment method and a payment, a Longview client (longviewClientId: path_of gives it to
    /longview paths as their clientId), an invoice (`linnetd billing close-month`), a child
    account (its euuid), a Managed contact, credential, service and issue;
    answers the path parameters that name them, as `linnetd routes`
    spells them (the NodeBalancer's config as nbConfigId: path_of gives it to /nodebalancers
    paths as their configId)."""
    linode = create_from_image(srv, label=unique_label(prefix), tags=[prefix])
    lid = linode["id"]
    disk = srv.get(f"/linode/instances/{lid}/disks").json()["data"][0]["id"]
    config = srv.get(f"/linode/instances/{lid}/configs").json()["data"][0]["id"]
    r = srv.post(f"/linode/instances/{lid}/configs/{config}/interfaces",
                 json={"purpose": "public"})
    assert r.status_code == 200, r.text
    interface = r.json()["id"]
    username, _ = restricted_user(srv, prefix)
    token = srv.post("/profile/tokens", json={"label": prefix, "scopes": "*"}).json()["id"]
    client = create_client(srv)["id"]
    ssh_key = srv.post("/profile/sshkeys", json={"label": prefix, "ssh_key": SSH_KEY}).json()["id"]
    event = srv.get("/account/events").json()["data"][0]["id"]
    volume = srv.post("/volumes", json={"label": unique_label(prefix).replace(".", "-")[:32],
                                        "region": "us-east"}).json()["id"]
    stackscript = srv.post("/linode/stackscripts", json={"label": unique_label(prefix),
                                                         "images": [IMAGE],
                                                         "script": "#!/bin/bash\ntrue\n"}).json()["id"]
    assert srv.post(f"/linode/instances/{lid}/backups/enable").status_code == 200
    backup = srv.post(f"/linode/instances/{lid}/backups", json={"label": prefix}).json()["id"]
    wait_until(lambda: srv.get(f"/linode/instances/{lid}/backups/{backup}").json()["status"]
               == "successful", what="snapshot")
    r = srv.post("/networking/firewalls", json={
        "label": unique_label(prefix).replace(".", "-")[:32], "devices": {"linodes": [lid]},
        "rules": {"inbound_policy": "ACCEPT", "outbound_policy": "ACCEPT"}})
    assert r.status_code == 200, r.text
    firewall = r.json()["id"]
    device = srv.get(f"/networking/firewalls/{firewall}/devices").json()["data"][0]["id"]
    r = srv.post("/placement/groups", json={"label": unique_label(prefix), "region": "us-east",
                                            "placement_group_type": "anti_affinity:local",
                                            "placement_group_policy": "flexible"})
    assert r.status_code == 200, r.text
    group = r.json()["id"]
    r = srv.post("/nodebalancers", json={
        "label": unique_label(prefix).replace(".", "-")[:32], "region": "us-east",
        "configs": [{"port": 80, "nodes": [{"label": "node-1", "address": "127.0.0.2:80"}]}]})
    assert r.status_code == 200, r.text
    nodebalancer = r.json()["id"]
    nb_config = srv.get(f"/nodebalancers/{nodebalancer}/configs").json()["data"][0]["id"]
    nb_node = srv.get(f"/nodebalancers/{nodebalancer}/configs/{nb_config}/nodes").json()[
        "data"][0]["id"]
    r = srv.post("/domains", json={
        "domain": unique_label(prefix).replace(".", "-").replace("_", "-").lower() + ".example",
        "type": "master", "soa_email": "admin@example.org"})
    assert r.status_code == 200, r.text
    domain = r.json()["id"]
    r = srv.post(f"/domains/{domain}/records", json={"type": "A", "name": "www",
                                                      "target": "192.0.2.1"})
    assert r.status_code == 200, r.text
    record = r.json()["id"]
    r = srv.post("/networking/ipv6/ranges", json={"linode_id": lid, "prefix_length": 64})
    assert r.status_code == 200, r.text
    ipv6_range = r.json()["range"].split("/")[0]
    r = srv.post("/vpcs", json={
        "label": unique_label(prefix).replace(".", "-").replace("_", "-")[:64], "region": "us-iad",
        "subnets": [{"label": "subnet-1", "ipv4": "10.0.0.0/24"}]})
    assert r.status_code == 200, r.text
    vpc, vpc_subnet = r.json()["id"], r.json()["subnets"][0]["id"]
    offered = create_from_image(srv, label=unique_label(prefix))["id"]
    r = srv.post("/account/entity-transfers", json={"entities": {"linodes": [offered]}})
    assert r.status_code == 200, r.text
    transfer = r.json()["token"]
    r = srv.post("/support/tickets", json={"summary": prefix, "description": "live",
                                           "linode_id": lid})
    assert r.status_code == 200, r.text
    ticket = r.json()["id"]
    r = srv.post("/account/payment-methods", json={"type": "credit_card", "is_default": True,
                                                   "data": {"card_number": "4111111111111111",
                                                            "cvv": "123", "expiry_month": 12,
                                                            "expiry_year": 2031}})
    assert r.status_code == 200, r.text
    method = r.json()["id"]
    r = srv.post("/account/payments", json={"usd": "5.00"})
    assert r.status_code == 200, r.text
    payment = r.json()["id"]
    r = srv.post("/longview/clients", json={})
    assert r.status_code == 200, r.text
    longview_client = r.json()["id"]
    # An invoice of what ran so far (the operator closes the month now).
    me = srv.get("/profile").json()["username"]
    out = linnetd(["billing", "close-month", "--account", me], srv.data_dir, capture_output=True,
                  text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    invoice = srv.get("/account/invoices").json()["data"][0]["id"]
    # A child account of the account's.
    child = unique_username("kid")
    out = linnetd(["account", "create", child, "--email", f"{child}@example.com", "--parent", me],
                  srv.data_dir, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    euuid = srv.get("/account", token=out.stdout.strip()).json()["euuid"]
    # Linode Managed: a contact, a credential, and a service on a closed port of 127.0.0.1,
    # whose first check opens an issue.
    assert srv.post("/account/settings/managed-enable").status_code == 200
    contact = srv.post("/managed/contacts", json={"name": prefix + "-contact",
                                                  "email": "c@example.com"}).json()["id"]
    credential = srv.post("/managed/credentials", json={"label": prefix + "-cred",
                                                        "password": "p"}).json()["id"]
    r = srv.post("/managed/services", json={"label": prefix + "-svc", "service_type": "tcp",
                                            "address": f"127.0.0.1:{free_port()}", "timeout": 1,
                                            "credentials": [credential]})
    assert r.status_code == 200, r.text
    service = r.json()["id"]
    issue = wait_until(lambda: srv.get("/managed/issues").json()["data"], timeout=20,
                       what="a Managed issue")[0]["id"]
    return {"invoiceId": invoice, "euuid": euuid, "contactId": contact,
            "credentialId": credential, "serviceId": service, "issueId": issue, "vpcId": vpc, "vpcSubnetId": vpc_subnet, "token": transfer, "ticketId": ticket,
            "paymentMethodId": method, "paymentId": payment,
            "longviewClientId": longview_client,
            "betaId": "rtx_4000_ada_beta", "subscriptionId": "longview-10",
            "range": ipv6_range, "domainId": domain, "recordId": record,
            "nodeBalancerId": nodebalancer, "nbConfigId": nb_config, "nodeId": nb_node,
            "linodeId": lid, "diskId": disk, "configId": config, "address": linode["ipv4"][0],
            "username": username, "tokenId": token, "clientId": client, "sshKeyId": ssh_key,
            "imageId": IMAGE, "eventId": event, "volumeId": volume, "stackscriptId": stackscript,
            "backupId": backup, "interfaceId": interface, "firewallId": firewall,
            "deviceId": device, "version": 1, "groupId": group,
            "year": time.gmtime().tm_year, "month": time.gmtime().tm_mon}


def path_of(template, params):
    """A route's path with its parameters (`{name}` and `{name+}`) filled in; under
    /nodebalancers, {configId} is the NodeBalancer's config (nbConfigId) when one is given, and
    under /longview/clients, {clientId} the Longview client (longviewClientId)."""
    if template.startswith("/nodebalancers/") and "nbConfigId" in params:
        params = {**params, "configId": params["nbConfigId"]}
    if template.startswith("/longview/clients/") and "longviewClientId" in params:
        params = {**params, "clientId": params["longviewClientId"]}
    out = template
    for name, value in params.items():
        out = out.replace("{" + name + "}", str(value)).replace("{" + name + "+}", str(value))
    assert "{" not in out, f"{template}: no fixture for a path parameter of it"
    return out
