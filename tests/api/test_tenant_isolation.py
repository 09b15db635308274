"""Tenant isolation on every route of `linnetd routes`: two accounts A and B (made with
`linnetd account create`) on one server; each route is called with A's objects as A (it must
answer them) and with the very same path and body as B, which must find nothing of A's:

- a single object of A read as B: 404; lists as B hold none of A's ids, labels, usernames or
  addresses, also with an X-Filter naming A's object;
- a change (PUT/POST/DELETE) on A's object as B: 404 (400 for a body that only names A's
  object, the answer B gets for an id that does not exist), and A's object, read as A, is what it
  was (status, label, disks, configs, addresses, events); then the same call as A succeeds, so
  the path named a live object;
- per-user and per-account things (/profile..., /account, /account/settings, /account/users...)
  answer B's own, never A's;
- the catalog is global: listed in GLOBAL with the reason, B gets exactly A's answer.

Every operationId of `linnetd routes` needs an entry in CHECKS or GLOBAL, and neither may name an
operation that is gone."""
import json
import re
import time
import subprocess
from collections import namedtuple
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import requests

from support import (BIN, IMAGE, ROOT_PASS, Caller, Server, account_user, assert_error,
                     authorize_app, create_account, create_client, create_from_image,
                     create_linode, db_execute, free_port, linnetd, set_password, sign_in,
                     unique_label, unique_username, wait_event, wait_until)
import test_profile_tfa as tfa

Route = namedtuple("Route", "method path op scope")


def routes():
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True).stdout
    return [Route(*line.split()) for line in out.strip().splitlines()[1:]]


ROUTES = routes()
PASSWORD = "pale-Lantern-47-orchard"
REDIRECT = "http://127.0.0.1:9/callback"
NEW_PASS = "An0ther-Str0ng-Pass"
MISSING = 99999999  # an id no account has

# The catalog: the same for every account by nature (what the cloud sells, not what anyone
# owns). B must get exactly A's answer.
CATALOG_PARAMS = {"regionId": "us-east", "typeId": "g6-nanode-1",
                  "kernelId": "linode/latest-64bit", "imageId": IMAGE,
                  "datacenterId": "datacenter_6", "serviceId": "service_112",
                  "distributionId": "distro_140", "id": "us-east",
                  "betaId": "rtx_4000_ada_beta", "subscriptionId": "longview-10"}
GLOBAL = {
    "get-regions": "regions are the cloud's catalog",
    "get-region": "regions are the cloud's catalog",
    "get-regions-availability": "what each region can sell, the same for everyone",
    "get-region-availability": "what a region can sell, the same for everyone",
    "get-linode-types": "plans are the cloud's catalog",
    "get-linode-type": "plans are the cloud's catalog",
    "get-kernels": "kernels are the cloud's catalog",
    "get-kernel": "kernels are the cloud's catalog",
    "get-availability": "/account/availability is per region and the same for every account",
    "get-account-availability": "/account/availability/{region} is the same for every account",
    "get-regions-vpc-availability": "where VPCs may be made is the cloud's catalog",
    "get-volume-types": "volume prices are the cloud's catalog",
    "get-node-balancer-types": "NodeBalancer prices are the cloud's catalog",
    "get-region-vpc-availability": "where VPCs may be made is the cloud's catalog",
    "alpha-get-datacenters": "2016 catalog (datacenters are regions)",
    "alpha-get-datacenter": "2016 catalog (datacenters are regions)",
    "alpha-get-services": "2016 catalog (services are plans)",
    "alpha-get-service": "2016 catalog (services are plans)",
    "alpha-get-distributions": "2016 catalog (distributions are public images)",
    "alpha-get-distribution": "2016 catalog (distributions are public images)",
    "alpha-get-recommended-distributions": "2016 catalog (distributions are public images)",
    "alpha-get-kernels": "2016 catalog (kernels)",
    "get-beta-programs": "beta programs are the cloud's catalog",
    "get-beta-program": "beta programs are the cloud's catalog",
    "get-network-transfer-prices": "transfer prices are the cloud's catalog",
    "get-longview-subscriptions": "Longview plans are the cloud's catalog",
    "get-longview-subscription": "Longview plans are the cloud's catalog",
    "get-longview-types": "Longview plans are the cloud's catalog",
}


# --- the two accounts ---------------------------------------------------------------------------

class Tenant(Caller):
    """One account's caller: a token on the shared server."""

    def __init__(self, srv, username, token):
        super().__init__(srv, token)
        self.username = username

    get_all = Server.get_all

    def alpha(self, method, path, **kw):
        """A 2016 call: `Authorization: token X`."""
        headers = dict(kw.pop("headers", {}))
        headers["Authorization"] = f"token {self.token}"
        return self.srv.request(method, path, token=None, headers=headers, **kw)

    def alpha_all(self, path="/linodes", filter=None):
        items, page = [], 1
        headers = {"X-Filter": json.dumps(filter)} if filter is not None else {}
        while True:
            r = self.alpha("GET", path, params={"page": page}, headers=headers)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["linodes"]
            if page >= body["total_pages"]:
                return items
            page += 1


def ok(resp, status=200):
    assert resp.status_code == status, f"{resp.request.method} {resp.request.url}: " \
                                       f"{resp.status_code} {resp.text}"
    return resp.json() if resp.content else None


def idle(t, linode_id):
    """Every job of the Linode has ended (so nothing changes on its own while we compare)."""
    wait_until(lambda: all(e["status"] in ("finished", "failed", "notification")
                           for e in t.get_all("/account/events",
                                              filter={"entity.id": linode_id,
                                                      "entity.type": "linode"})),
               what=f"jobs of {linode_id} to end")


def fresh_linode(t, booted=True, image=True):
    """A Linode of T's, settled (running, or offline when not booted), all its jobs over."""
    if image:
        doc = create_from_image(t, wait="running" if booted else "offline",
                                booted=None if booted else False)
    else:
        doc = create_linode(t, wait="offline")
    idle(t, doc["id"])
    return doc


def new_disk(t, linode_id, size=100):
    disk = ok(t.post(f"/linode/instances/{linode_id}/disks",
                     json={"label": unique_label("d"), "size": size}))
    wait_until(lambda: t.get(f"/linode/instances/{linode_id}/disks/{disk['id']}").json()
               ["status"] == "ready", what="disk ready")
    idle(t, linode_id)
    return disk


def disks_of(t, linode_id):
    return t.get_all(f"/linode/instances/{linode_id}/disks")


def alpha_create(t, booted=False):
    linode = ok(t.alpha("POST", "/linodes", json={"datacenter": "datacenter_6",
                                                  "service": "service_112",
                                                  "source": "distro_140",
                                                  "root_pass": ROOT_PASS}))["linode"]
    lid = linode["id"]

    def state(s):
        return wait_until(lambda: t.alpha("GET", f"/linodes/{lid}").json()["state"] == s,
                          what=f"alpha {lid} {s}")
    state("offline")
    if booted:
        assert ok(t.alpha("POST", f"/linodes/{lid}/boot")) == {}
        state("running")
    idle(t, int(lid[len("linode_"):]))
    return lid


@pytest.fixture(scope="module")
def w(instant):
    """Accounts A and B, and A's objects of every kind (B owns a Linode and a restricted user
    too, to aim B's own calls at A's ids)."""
    srv = instant
    a_name, b_name = unique_username("ta"), unique_username("tb")
    a = Tenant(srv, a_name, create_account(srv.data_dir, a_name))
    b = Tenant(srv, b_name, create_account(srv.data_dir, b_name))
    x = SimpleNamespace(a=a, b=b, srv=srv)

    # Account-wide: A's contact details and settings differ from B's.
    x.a_company = f"Company of {a_name}"
    ok(a.put("/account", json={"company": x.a_company}))
    b_settings = ok(b.get("/account/settings"))
    x.a_helper = not b_settings["network_helper"]
    ok(a.put("/account/settings", json={"network_helper": x.a_helper}))

    # A Linode with a tag, disks, a config with an interface, a private address and rDNS.
    x.tag = unique_label("iso-tag")
    x.lin = create_from_image(a, tags=[x.tag])
    x.lid = x.lin["id"]
    x.disks = disks_of(a, x.lid)
    x.disk = x.disks[0]["id"]
    x.config = a.get_all(f"/linode/instances/{x.lid}/configs")[0]["id"]
    x.iface = ok(a.post(f"/linode/instances/{x.lid}/configs/{x.config}/interfaces",
                        json={"purpose": "vlan", "label": "vlan-a"}))["id"]
    x.pub = x.lin["ipv4"][0]
    x.priv = ok(a.post(f"/linode/instances/{x.lid}/ips",
                       json={"type": "ipv4", "public": False}))["address"]
    x.rdns = f"{a_name}.example.org"
    ok(a.put(f"/networking/ips/{x.pub}", json={"rdns": x.rdns}))
    x.slaac = ok(a.get(f"/linode/instances/{x.lid}/ips"))["ipv6"]["slaac"]["address"]
    x.event = wait_event(a, x.lid, "linode_create")["id"]
    idle(a, x.lid)

    # A 2016 Linode.
    x.alpha = alpha_create(a)
    x.alpha_modern = int(x.alpha[len("linode_"):])

    # Tokens, an OAuth client and an app authorized by A's user.
    x.token_label = unique_label("a-pat")
    x.token = ok(a.post("/profile/tokens", json={"label": x.token_label, "scopes": "*"}))["id"]
    x.client_label = unique_label("a-client")
    x.client = create_client(a, label=x.client_label, redirect_uri=REDIRECT)
    set_password(srv.data_dir, a_name, PASSWORD)
    x.browser = sign_in(srv, a_name, PASSWORD)
    authorize_app(srv, x.browser, x.client)
    x.app = a.get_all("/profile/apps")[-1]["id"]

    # A restricted user of each account; A's may read A's Linode.
    x.a_r = unique_username("tar")
    x.a_r_token = account_user(srv.data_dir, a_name, x.a_r)
    ok(a.put(f"/account/users/{x.a_r}/grants",
             json={"linode": [{"id": x.lid, "permissions": "read_only"}]}))
    x.b_r = unique_username("tbr")
    x.b_r_token = account_user(srv.data_dir, b_name, x.b_r)

    # A volume attached to A's Linode, with A's tag.
    x.vol_label = unique_label("iso-vol").replace(".", "-")[:32]
    x.vol = ok(a.post("/volumes", json={"label": x.vol_label, "linode_id": x.lid,
                                        "tags": [x.tag]}))["id"]
    wait_until(lambda: ok(a.get(f"/volumes/{x.vol}"))["status"] == "active", what="volume")

    # A private StackScript of A's, with a field to fill in.
    x.ss_label = unique_label("iso-ss")
    x.ss = ok(a.post("/linode/stackscripts", json={
        "label": x.ss_label, "images": [IMAGE], "description": "A's own",
        "script": "#!/bin/sh\n# <UDF name=\"word\" label=\"Word\" />\necho $word\n"}))["id"]

    # An image of A's, captured from A's Linode's disk, with A's tag.
    x.img_label = unique_label("iso-img")
    x.img = ok(a.post("/images", json={"disk_id": x.disk, "label": x.img_label,
                                       "tags": [x.tag]}))["id"]
    wait_until(lambda: ok(a.get(f"/images/{x.img}"))["status"] == "available", what="image")
    idle(a, x.lid)

    # A snapshot of A's Linode.
    ok(a.post(f"/linode/instances/{x.lid}/backups/enable"))
    x.backup = ok(a.post(f"/linode/instances/{x.lid}/backups", json={"label": "a-snap"}))["id"]
    wait_until(lambda: ok(a.get(f"/linode/instances/{x.lid}/backups/{x.backup}"))["status"]
               == "successful", what="snapshot")
    idle(a, x.lid)

    # A firewall of A's guarding A's Linode, with A's tag, its rules changed once.
    x.fw_label = fw_label("iso-fw")
    x.fw = ok(a.post("/networking/firewalls", json={
        "label": x.fw_label, "rules": FW_RULES, "tags": [x.tag],
        "devices": {"linodes": [x.lid]}}))["id"]
    ok(a.put(f"/networking/firewalls/{x.fw}/rules",
             json=dict(FW_RULES, outbound_policy="DROP")))
    x.fw_device = ok(a.get(f"/networking/firewalls/{x.fw}/devices"))["data"][0]["id"]

    # A placement group of A's with A's Linode in it.
    x.pg_label = unique_label("iso-pg")
    x.pg = ok(a.post("/placement/groups", json=pg_body(x.pg_label)))["id"]
    ok(a.post(f"/placement/groups/{x.pg}/assign", json={"linodes": [x.lid]}))

    # A NodeBalancer of A's, with A's tag, a config whose node is A's Linode's private address,
    # guarded by A's firewall.
    x.nb_label = fw_label("iso-nb")
    x.nb = ok(a.post("/nodebalancers", json={
        "label": x.nb_label, "region": "us-east", "tags": [x.tag],
        "configs": [{"port": 80, "nodes": [{"label": "a-node", "address": f"{x.priv}:80"}]}]}))
    x.nb_id = x.nb["id"]
    x.nb_config = ok(a.get(f"/nodebalancers/{x.nb_id}/configs"))["data"][0]["id"]
    x.nb_node = ok(a.get(f"/nodebalancers/{x.nb_id}/configs/{x.nb_config}/nodes"))["data"][0]["id"]
    x.nb_fw = ok(a.post("/networking/firewalls", json={
        "label": fw_label("iso-nbfw"), "rules": FW_RULES,
        "devices": {"nodebalancers": [x.nb_id]}}))["id"]

    # A Domain of A's with A's tag and a record.
    x.dom_name = unique_label("iso-dom").replace(".", "-").replace("_", "-").lower() + ".example"
    x.dom = ok(a.post("/domains", json={"domain": x.dom_name, "type": "master",
                                        "soa_email": "a@example.org", "tags": [x.tag]}))["id"]
    x.dom_record = ok(a.post(f"/domains/{x.dom}/records", json={
        "type": "A", "name": "www", "target": "192.0.2.44"}))["id"]

    # An IPv6 range routed to A's Linode.
    x.v6 = ok(a.post("/networking/ipv6/ranges", json={"linode_id": x.lid,
                                                       "prefix_length": 64}))["range"]
    x.v6_address = x.v6.split("/")[0]

    # A VPC of A's with a subnet.
    x.vpc_label = unique_label("iso-vpc").replace(".", "-").replace("_", "-")[:64]
    x.vpc = ok(a.post("/vpcs", json={"label": x.vpc_label, "region": "us-iad", "subnets": [
        {"label": "a-net", "ipv4": "10.7.0.0/24"}]}))
    x.vpc_id, x.vpc_subnet = x.vpc["id"], x.vpc["subnets"][0]["id"]
    # A Linode of A's in that subnet.
    x.vpc_lin = create_from_image(a, region="us-iad", interfaces=[
        {"purpose": "public"}, {"purpose": "vpc", "subnet_id": x.vpc_subnet}])["id"]
    idle(a, x.vpc_lin)

    # B's own Linode.
    x.b_lin = create_from_image(b)
    idle(b, x.b_lin["id"])
    x.params = {"linodeId": x.lid, "diskId": x.disk, "configId": x.config,
                "interfaceId": x.iface, "address": x.pub, "tokenId": x.token,
                "clientId": x.client["id"], "appId": x.app, "username": x.a_r,
                "eventId": x.event, "tagLabel": x.tag, "volumeId": x.vol,
                "stackscriptId": x.ss, "backupId": x.backup, **CATALOG_PARAMS,
                "imageId": x.img, "year": time.gmtime().tm_year, "month": time.gmtime().tm_mon,
                "firewallId": x.fw, "deviceId": x.fw_device, "version": 1, "groupId": x.pg,
                "nodeBalancerId": x.nb_id, "nodeId": x.nb_node, "domainId": x.dom,
                "recordId": x.dom_record, "range": x.v6_address,
                "vpcId": x.vpc_id, "vpcSubnetId": x.vpc_subnet}
    yield x
    x.browser.close()


# --- calling a route as A or as B -----------------------------------------------------------------

def url_of(w, route, params):
    values = dict(w.params)
    if route.op.startswith("alpha-"):
        values["linodeId"] = w.alpha
    values.update(params)

    def sub(m):
        assert m.group(1) in values, f"no value for {{{m.group(1)}}} of {route.path}"
        return quote(str(values[m.group(1)]), safe="/")
    return re.sub(r"\{(\w+)\+?\}", sub, route.path)


def call(w, who, route, params=None, **kw):
    """The route called by tenant WHO ("A" or "B"), path parameters from A's objects unless
    PARAMS says otherwise."""
    t = w.a if who == "A" else w.b
    url = url_of(w, route, params or {})
    if route.op.startswith("alpha-"):
        return t.alpha(route.method, url, **kw)
    return t.request(route.method, url, **kw)


def a_reads_b_404(w, route, params=None):
    """A gets its object; B, on the same path, 404."""
    doc = ok(call(w, "A", route, params))
    assert_error(call(w, "B", route, params), 404)
    return doc


_SAME = object()


def guarded(w, route, state, body=None, params=None, b_status=404, a_status=200, a_body=_SAME):
    """B's call on A's object fails (404) and changes nothing A can see (STATE() read as A);
    then A's call on the same path succeeds (with A_BODY when B's body would spoil A's object
    for the other checks). Returns A's answer."""
    kw = {} if body is None else {"json": body}
    before = state()
    assert_error(call(w, "B", route, params, **kw), b_status)
    assert state() == before, f"{route.op} as B changed A's object"
    if a_body is not _SAME:
        kw = {"json": a_body}
    r = call(w, "A", route, params, **kw)
    assert r.status_code == a_status, f"{route.op} as A: {r.status_code} {r.text}"
    return r


def missing_status(w, route, body_with_missing, params=None):
    """What B is answered for a body naming an object that exists nowhere: the answer it must
    get when the body names A's."""
    r = call(w, "B", route, params, json=body_with_missing)
    assert r.status_code in (400, 404), f"{route.op} with a missing id: {r.status_code} {r.text}"
    return r.status_code


def linode_state(w, lid, t=None):
    """All A sees of one Linode: itself, disks, configs (with interfaces), addresses, events."""
    t = t or w.a
    return {"linode": ok(t.get(f"/linode/instances/{lid}")),
            "disks": t.get_all(f"/linode/instances/{lid}/disks"),
            "configs": t.get_all(f"/linode/instances/{lid}/configs"),
            "ips": ok(t.get(f"/linode/instances/{lid}/ips")),
            "events": t.get_all("/account/events", filter={"entity.id": lid})}


def list_lacks(items, key, values, what):
    leaked = {i.get(key) for i in items} & set(values)
    assert not leaked, f"{what}: B sees A's {key} {sorted(map(str, leaked))}"


def list_isolated(w, path, key, a_values, filters=(), every=True):
    """A's list holds A_VALUES (of KEY), B's holds none of A's (of A_VALUES only unless EVERY);
    each X-Filter finds A's object for A and nothing for B."""
    a_items = w.a.get_all(path)
    assert set(a_values) <= {i[key] for i in a_items}, f"A's {path} lacks {a_values}"
    list_lacks(w.b.get_all(path), key, [i[key] for i in a_items] if every else a_values, path)
    for flt in filters:
        assert w.a.get_all(path, filter=flt), f"A's {path} with {flt} is empty"
        r = w.b.get(path, filter=flt)
        assert r.status_code == 200 and r.json()["data"] == [], f"B's {path} {flt}: {r.text}"
        assert r.json()["results"] == 0


CHECKS = {}


def check(*ops):
    def register(fn):
        for op in ops:
            assert op not in CHECKS, op
            CHECKS[op] = fn
        return fn
    return register


# --- the profile and the account ------------------------------------------------------------------

@check("get-profile")
def _(w, route):
    mine = ok(call(w, "A", route))
    assert mine["username"] == w.a.username
    theirs = ok(call(w, "B", route))
    assert theirs["username"] == w.b.username and theirs["uid"] != mine["uid"]
    assert w.a.username not in json.dumps(theirs)


@check("put-profile")
def _(w, route):
    a_before = ok(w.a.get("/profile"))
    tz = "Asia/Tokyo" if a_before["timezone"] != "Asia/Tokyo" else "Europe/Paris"
    assert ok(call(w, "B", route, json={"timezone": tz}))["username"] == w.b.username
    assert ok(w.a.get("/profile")) == a_before
    b_now = ok(w.b.get("/profile"))
    other = "America/Chicago"
    assert ok(call(w, "A", route, json={"timezone": other}))["timezone"] == other
    assert ok(w.b.get("/profile")) == b_now


@check("get-account")
def _(w, route):
    mine = ok(call(w, "A", route))
    assert mine["company"] == w.a_company
    theirs = ok(call(w, "B", route))
    assert theirs["company"] != w.a_company and theirs["euuid"] != mine["euuid"]
    assert w.a_company not in json.dumps(theirs)


@check("put-account")
def _(w, route):
    b_company = f"Company of {w.b.username}"
    assert ok(call(w, "B", route, json={"company": b_company}))["company"] == b_company
    assert ok(w.a.get("/account"))["company"] == w.a_company
    assert ok(call(w, "A", route, json={"company": w.a_company}))["company"] == w.a_company
    assert ok(w.b.get("/account"))["company"] == b_company


@check("get-account-settings")
def _(w, route):
    assert ok(call(w, "A", route))["network_helper"] == w.a_helper
    assert ok(call(w, "B", route))["network_helper"] != w.a_helper


@check("put-account-settings")
def _(w, route):
    a_before = ok(w.a.get("/account/settings"))
    flipped = not a_before["backups_enabled"]
    assert ok(call(w, "B", route, json={"backups_enabled": flipped}))["backups_enabled"] == flipped
    assert ok(w.a.get("/account/settings")) == a_before
    ok(call(w, "A", route, json={"backups_enabled": a_before["backups_enabled"]}))
    assert ok(w.b.get("/account/settings"))["backups_enabled"] == flipped


@check("get-user-preferences")
def _(w, route):
    ok(w.a.put("/profile/preferences", json={"theme": "dark", "owner": w.a.username}))
    assert ok(call(w, "A", route)) == {"theme": "dark", "owner": w.a.username}
    assert w.a.username not in json.dumps(ok(call(w, "B", route)))


@check("put-user-preferences")
def _(w, route):
    a_before = ok(w.a.get("/profile/preferences"))
    mine = {"owner": w.b.username, "sort": ["label"]}
    assert ok(call(w, "B", route, json=mine)) == mine
    assert ok(w.a.get("/profile/preferences")) == a_before
    assert ok(w.b.get("/profile/preferences")) == mine


def answered(client):
    return sorted(q["id"] for q in ok(client.get("/profile/security-questions"))
                  ["security_questions"] if q["response"] is not None)


@check("get-security-questions")
def _(w, route):
    ok(w.a.post("/profile/security-questions", json={"security_questions": [
        {"question_id": q, "response": "answer"} for q in (1, 2, 3)]}))
    assert answered(w.a) == [1, 2, 3]
    assert all(q["response"] is None for q in ok(call(w, "B", route))["security_questions"])


@check("post-security-questions")
def _(w, route):
    ok(w.a.post("/profile/security-questions", json={"security_questions": [
        {"question_id": q, "response": "answer"} for q in (1, 2, 3)]}))
    ok(call(w, "B", route, json={"security_questions": [
        {"question_id": q, "response": "theirs"} for q in (4, 5, 6)]}))
    assert answered(w.a) == [1, 2, 3] and answered(w.b) == [4, 5, 6]


SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcKWXa5yCsgP8TeBNFd0PT3e2ewHVKrO/D5Wg0nDwyB a@b"


def a_ssh_key(w):
    return ok(w.a.post("/profile/sshkeys", json={"label": unique_label("k"),
                                                 "ssh_key": SSH_KEY}))["id"]


@check("get-ssh-keys")
def _(w, route):
    key = a_ssh_key(w)
    assert key in [k["id"] for k in ok(call(w, "A", route))["data"]]
    list_isolated(w, "/profile/sshkeys", "id", [key])


@check("post-add-ssh-key")
def _(w, route):
    before = w.a.get_all("/profile/sshkeys")
    theirs = ok(call(w, "B", route, json={"label": "b", "ssh_key": SSH_KEY}))
    assert w.a.get_all("/profile/sshkeys") == before
    assert theirs["id"] in [k["id"] for k in w.b.get_all("/profile/sshkeys")]
    ok(call(w, "A", route, json={"label": "a", "ssh_key": SSH_KEY}))


@check("get-ssh-key")
def _(w, route):
    key = a_ssh_key(w)
    assert a_reads_b_404(w, route, {"sshKeyId": key})["id"] == key


@check("put-ssh-key", "delete-ssh-key")
def _(w, route):
    key = a_ssh_key(w)
    state = lambda: w.a.get_all("/profile/sshkeys")
    guarded(w, route, state, body={"label": "renamed"}, params={"sshKeyId": key})


def a_login(w):
    """A sign-in of A's user through the login service: its id in A's /account/logins."""
    set_password(w.srv.data_dir, w.a.username, PASSWORD)
    sign_in(w.srv, w.a.username, PASSWORD)
    return w.a.get_all("/account/logins")[-1]["id"]


@check("get-account-logins", "get-profile-logins")
def _(w, route):
    login = a_login(w)
    assert login in [l["id"] for l in ok(call(w, "A", route))["data"]]
    list_lacks(w.b.get_all(route.path), "username", [w.a.username], route.path)


@check("get-account-login", "get-profile-login")
def _(w, route):
    login = a_login(w)
    assert a_reads_b_404(w, route, {"loginId": login})["username"] == w.a.username


def a_device(w):
    """A's user turns two-factor sign-in on and trusts a browser: the device's id. (a_off turns
    it off again, so that A signs in with a password alone.)"""
    set_password(w.srv.data_dir, w.a.username, tfa.PASSWORD)
    codes = tfa.Codes(ok(w.a.post("/profile/tfa-enable"))["secret"])
    ok(w.a.post("/profile/tfa-enable-confirm", json={"tfa_code": codes.fresh()}))
    browser, page = tfa.password_step(w.srv, w.a.username)
    assert tfa.code_step(w.srv, browser, page, codes.fresh(), trust=True).status_code == 303
    return w.a.get_all("/profile/devices")[-1]["id"]


def a_off(w):
    ok(w.a.post("/profile/tfa-disable"))


@check("get-devices")
def _(w, route):
    device = a_device(w)
    assert [d["id"] for d in ok(call(w, "A", route))["data"]] == [device]
    assert ok(call(w, "B", route))["data"] == []
    a_off(w)


@check("get-trusted-device")
def _(w, route):
    device = a_device(w)
    assert a_reads_b_404(w, route, {"deviceId": device})["id"] == device
    a_off(w)


@check("delete-trusted-device")
def _(w, route):
    device = a_device(w)
    guarded(w, route, lambda: w.a.get_all("/profile/devices"), params={"deviceId": device})
    assert w.a.get_all("/profile/devices") == []
    a_off(w)


@check("post-profile-phone-number", "post-profile-phone-number-verify",
       "delete-profile-phone-number")
def _(w, route):
    # Each acts on the caller's own number: B's call leaves A's as it was.
    if ok(w.a.get("/profile"))["verified_phone_number"] is None:
        # A verifies a number, its code read from the server log (no --sms-command there).
        ok(w.a.post("/profile/phone-number", json={"iso_code": "US",
                                                   "phone_number": "555-555-0199"}))
        log = (Path(w.srv.data_dir) / "server.log").read_text()
        code = re.findall(r"SMS to \+15555550199: .*code is (\d{6})", log)[-1]
        ok(w.a.post("/profile/phone-number/verify", json={"otp_code": code}))
    a_phone = ok(w.a.get("/profile"))["verified_phone_number"]
    assert a_phone == "+15555550199"
    call(w, "B", route, json={"iso_code": "US", "phone_number": "555-555-0100",
                              "otp_code": "000000"})
    assert ok(w.a.get("/profile"))["verified_phone_number"] == a_phone


@check("get-enrolled-beta-programs", "get-enrolled-beta-program", "post-beta-program")
def _(w, route):
    # A's enrolment is A's: B sees none of it, and B's own enrolment leaves A's as it was.
    if not w.a.get_all("/account/betas"):
        ok(w.a.post("/account/betas", json={"id": "rtx_4000_ada_beta"}))
    a_betas = w.a.get_all("/account/betas")
    if route.method == "POST":
        # (B stays unenrolled, so that the reads above find nothing of B's own either.)
        assert_error(call(w, "B", route, json={"id": "metadata_beta"}), 400)
    elif route.path.endswith("{betaId}"):
        assert a_reads_b_404(w, route)["id"] == "rtx_4000_ada_beta"
    else:
        assert [b["id"] for b in ok(call(w, "A", route))["data"]] == ["rtx_4000_ada_beta"]
        list_lacks(w.b.get_all(route.path), "enrolled", [b["enrolled"] for b in a_betas],
                   route.path)
    assert w.a.get_all("/account/betas") == a_betas


def a_transfer(w):
    """A fresh Linode of A's offered under a token: (token, linode id)."""
    linode = create_linode(w.a, wait=None)["id"]
    idle(w.a, linode)
    made = ok(w.a.post("/account/entity-transfers", json={"entities": {"linodes": [linode]}}))
    return made["token"], linode


@check("get-entity-transfers", "get-service-transfers")
def _(w, route):
    token, _ = a_transfer(w)
    list_isolated(w, route.path, "token", [token], filters=[{"is_sender": True}], every=True)


@check("post-entity-transfer", "post-service-transfer")
def _(w, route):
    # B cannot offer A's Linode.
    before = w.a.get_all("/account/entity-transfers")
    r = call(w, "B", route, json={"entities": {"linodes": [w.lid]}})
    assert r.status_code in (400, 404), r.text
    assert w.a.get_all("/account/entity-transfers") == before
    linode = create_linode(w.a, wait=None)["id"]
    idle(w.a, linode)
    ok(call(w, "A", route, json={"entities": {"linodes": [linode]}}))


@check("get-entity-transfer", "get-service-transfer")
def _(w, route):
    # The token is the receiver's key: B reads the offer by it (as not its sender), and A's
    # other transfers stay out of B's list.
    token, linode = a_transfer(w)
    assert ok(call(w, "A", route, {"token": token}))["is_sender"] is True
    seen = ok(call(w, "B", route, {"token": token}))
    assert seen["is_sender"] is False and seen["entities"] == {"linodes": [linode]}


@check("delete-entity-transfer", "delete-service-transfer")
def _(w, route):
    token, _ = a_transfer(w)
    guarded(w, route, lambda: ok(w.a.get(f"/account/entity-transfers/{token}")),
            params={"token": token})


@check("post-accept-entity-transfer", "post-accept-service-transfer")
def _(w, route):
    # Accepting moves exactly the Linode offered: A's others stay A's.
    token, linode = a_transfer(w)
    a_linodes = {l["id"] for l in w.a.get_all("/linode/instances")}
    assert_error(call(w, "A", route, {"token": token}), 400)
    ok(call(w, "B", route, {"token": token}))
    assert {l["id"] for l in w.a.get_all("/linode/instances")} == a_linodes - {linode}
    assert ok(w.b.get(f"/linode/instances/{linode}"))["id"] == linode


def a_ticket(w):
    return ok(w.a.post("/support/tickets", json={"summary": "iso", "description": "A's",
                                                 "linode_id": w.lid}))["id"]


def ticket_state(w, ticket):
    return (ok(w.a.get(f"/support/tickets/{ticket}")),
            w.a.get_all(f"/support/tickets/{ticket}/replies"))


@check("get-tickets")
def _(w, route):
    ticket = a_ticket(w)
    list_isolated(w, route.path, "id", [ticket], filters=[{"summary": "iso"}])


@check("post-ticket")
def _(w, route):
    # B cannot open a ticket about A's Linode.
    assert_error(call(w, "B", route, json={"summary": "b", "description": "b",
                                           "linode_id": w.lid}), 400, "linode_id")
    ok(call(w, "A", route, json={"summary": "a", "description": "a", "linode_id": w.lid}))


@check("get-ticket", "get-ticket-replies")
def _(w, route):
    ticket = a_ticket(w)
    a_reads_b_404(w, route, {"ticketId": ticket})


@check("post-ticket-reply", "post-close-ticket")
def _(w, route):
    ticket = a_ticket(w)
    guarded(w, route, lambda: ticket_state(w, ticket), params={"ticketId": ticket},
            body={"description": "by b"})


@check("post-ticket-attachment")
def _(w, route):
    ticket = a_ticket(w)
    before = ticket_state(w, ticket)
    url = url_of(w, route, {"ticketId": ticket})
    r = w.b.request("POST", url, files={"file": ("b.txt", b"B's")})
    assert_error(r, 404)
    assert ticket_state(w, ticket) == before
    assert w.a.request("POST", url, files={"file": ("a.txt", b"A's")}).status_code == 200


def a_longview_client(w):
    return ok(w.a.post("/longview/clients", json={}))


@check("get-longview-clients")
def _(w, route):
    c = a_longview_client(w)
    list_isolated(w, route.path, "id", [c["id"]], filters=[{"label": c["label"]}])
    list_lacks(w.b.get_all(route.path), "api_key", [c["api_key"]], route.path)


@check("post-longview-client")
def _(w, route):
    before = w.a.get_all("/longview/clients")
    mine = ok(call(w, "B", route, json={}))
    assert w.a.get_all("/longview/clients") == before
    ok(w.b.delete(f"/longview/clients/{mine['id']}"))
    ok(call(w, "A", route, json={}))


@check("get-longview-client")
def _(w, route):
    c = a_longview_client(w)
    assert a_reads_b_404(w, route, {"clientId": c["id"]})["api_key"] == c["api_key"]


@check("put-longview-client", "delete-longview-client")
def _(w, route):
    c = a_longview_client(w)
    guarded(w, route, lambda: w.a.get(f"/longview/clients/{c['id']}").json(),
            params={"clientId": c["id"]}, body={"label": "by-b-x"})


@check("get-longview-plan", "put-longview-plan")
def _(w, route):
    ok(w.a.put("/longview/plan", json={"longview_subscription": "longview-40"}))
    b = ok(call(w, "B", route, json={"longview_subscription": "longview-10"}))
    assert b.get("id") != "longview-40"
    assert ok(w.a.get("/longview/plan"))["id"] == "longview-40"
    ok(w.b.put("/longview/plan", json={"longview_subscription": None}))


CARD = {"card_number": "4111111111111111", "cvv": "123", "expiry_month": 12,
        "expiry_year": 2031}


def a_method(w):
    return ok(w.a.post("/account/payment-methods", json={"type": "credit_card",
                                                         "is_default": False, "data": CARD}))


def money(t):
    return (ok(t.get("/account"))["balance"], t.get_all("/account/payment-methods"),
            t.get_all("/account/payments"))


@check("get-payment-methods", "get-payments")
def _(w, route):
    m = a_method(w)
    p = ok(w.a.post("/account/payments", json={"usd": "5.00", "payment_method_id": m["id"]}))
    key, value = ("id", m["id"]) if "methods" in route.path else ("id", p["id"])
    assert value in [x[key] for x in ok(call(w, "A", route))["data"]]
    list_lacks(w.b.get_all(route.path), key, [value], route.path)


@check("get-payment-method")
def _(w, route):
    m = a_method(w)
    assert a_reads_b_404(w, route, {"paymentMethodId": m["id"]})["id"] == m["id"]


def a_invoice(w):
    """An invoice of A's: the operator closes A's month now (the first time it is asked)."""
    found = ok(w.a.get("/account/invoices"))["data"]
    if not found:
        create_linode(w.a, label=unique_label("inv"))
        out = linnetd(["billing", "close-month", "--account", w.a.username], w.a.data_dir,
                      capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        found = ok(w.a.get("/account/invoices"))["data"]
    return found[0]


@check("get-invoices")
def _(w, route):
    invoice = a_invoice(w)
    list_isolated(w, route.path, "id", [invoice["id"]],
                  filters=[{"label": invoice["label"]}, {"total": invoice["total"]}])


@check("get-invoice", "get-invoice-items")
def _(w, route):
    invoice = a_invoice(w)
    doc = a_reads_b_404(w, route, {"invoiceId": invoice["id"]})
    assert doc.get("id", invoice["id"]) == invoice["id"]
    if "items" in route.path:
        assert doc["results"] >= 1 and doc["data"][0]["label"]


def a_child(w):
    """A child account of A's (made the first time it is asked): its euuid."""
    if not hasattr(w, "child_euuid"):
        name = unique_username("kid")
        out = linnetd(["account", "create", name, "--email", f"{name}@example.com", "--parent",
                       w.a.username], w.srv.data_dir, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        w.child_euuid = ok(Tenant(w.srv, name, out.stdout.strip()).get("/account"))["euuid"]
    return w.child_euuid


@check("get-child-accounts")
def _(w, route):
    list_isolated(w, route.path, "euuid", [a_child(w)])


@check("get-child-account")
def _(w, route):
    assert a_reads_b_404(w, route, {"euuid": a_child(w)})["euuid"] == a_child(w)


@check("post-child-account-token")
def _(w, route):
    euuid = a_child(w)
    assert_error(call(w, "B", route, {"euuid": euuid}), 404)
    token = ok(call(w, "A", route, {"euuid": euuid}))["token"]
    assert ok(w.srv.get("/account", token=token))["euuid"] == euuid


def managed_on(w):
    """Linode Managed enabled for A and B (once)."""
    if not getattr(w, "managed", False):
        for t in (w.a, w.b):
            assert t.post("/account/settings/managed-enable").status_code == 200
        w.managed = True


def a_contact(w):
    managed_on(w)
    return ok(w.a.post("/managed/contacts", json={"name": unique_label("ct")[:60],
                                                   "email": "ct@example.com", "group": "ops"}))


def a_credential(w):
    managed_on(w)
    return ok(w.a.post("/managed/credentials", json={"label": unique_label("cr")[:70],
                                                      "username": "u", "password": "p"}))


def a_service(w):
    """A service of A's on a closed port of 127.0.0.1, disabled so that it stays as it is."""
    managed_on(w)
    s = ok(w.a.post("/managed/services", json={
        "label": unique_label("sv")[:60], "service_type": "tcp", "timeout": 1,
        "address": f"127.0.0.1:{free_port()}"}))
    return ok(w.a.post(f"/managed/services/{s['id']}/disable"))


def a_managed_issue(w):
    """An issue of A's: a service of A's whose first check fails."""
    managed_on(w)
    if not hasattr(w, "managed_issue"):
        ok(w.a.post("/managed/services", json={
            "label": unique_label("down")[:60], "service_type": "tcp", "timeout": 1,
            "address": f"127.0.0.1:{free_port()}"}))
        wait_until(lambda: ok(w.a.get("/managed/issues"))["data"], timeout=20,
                   what="A's Managed issue")
        w.managed_issue = ok(w.a.get("/managed/issues"))["data"][0]
    return w.managed_issue


@check("get-managed-contacts", "get-managed-credentials", "get-managed-services",
       "get-managed-issues", "get-managed-linode-settings")
def _(w, route):
    made = {"contacts": a_contact, "credentials": a_credential, "services": a_service,
            "issues": a_managed_issue,
            "linode-settings": lambda w: {"id": w.lid}}[route.path.split("/")[2]](w)
    list_isolated(w, route.path, "id", [made["id"]])


@check("get-managed-contact", "get-managed-credential", "get-managed-service",
       "get-managed-issue", "get-managed-linode-setting")
def _(w, route):
    kind = route.path.split("/")[2]
    made = {"contacts": a_contact, "credentials": a_credential, "services": a_service,
            "issues": a_managed_issue, "linode-settings": lambda w: {"id": w.lid}}[kind](w)
    param = {"contacts": "contactId", "credentials": "credentialId", "services": "serviceId",
             "issues": "issueId", "linode-settings": "linodeId"}[kind]
    assert a_reads_b_404(w, route, {param: made["id"]})["id"] == made["id"]


@check("put-managed-contact", "delete-managed-contact")
def _(w, route):
    c = a_contact(w)
    guarded(w, route, lambda: ok(w.a.get(f"/managed/contacts/{c['id']}")),
            params={"contactId": c["id"]}, body={"name": "by b"})


@check("put-managed-credential", "post-managed-credential-revoke",
       "post-managed-credential-username-password")
def _(w, route):
    c = a_credential(w)
    sealed = lambda: db_execute(w.srv.data_dir, "SELECT label, sealed_username, "
                                "sealed_password FROM managed_credentials WHERE id = ?",
                                (c["id"],))
    guarded(w, route, sealed, params={"credentialId": c["id"]},
            body={"label": "by-b", "username": "b", "password": "b"})


@check("put-managed-service", "delete-managed-service", "post-disable-managed-service",
       "post-enable-managed-service")
def _(w, route):
    s = a_service(w)
    guarded(w, route, lambda: ok(w.a.get(f"/managed/services/{s['id']}")),
            params={"serviceId": s["id"]}, body={"label": "by-b-svc"})
    if route.op == "post-enable-managed-service":
        ok(w.a.post(f"/managed/services/{s['id']}/disable"))


@check("put-managed-linode-setting")
def _(w, route):
    managed_on(w)
    guarded(w, route, lambda: ok(w.a.get(f"/managed/linode-settings/{w.lid}")),
            params={"linodeId": w.lid}, body={"ssh": {"access": False, "user": "b"}},
            a_body={"ssh": {"access": True}})


@check("post-managed-contact", "post-managed-credential", "post-managed-service")
def _(w, route):
    # Each makes the caller's own: A's lists are as they were.
    managed_on(w)
    before = w.a.get_all(route.path)
    body = {"name": "B's", "email": "b@example.com", "label": unique_label("bb")[:60],
            "password": "p", "service_type": "tcp", "address": f"127.0.0.1:{free_port()}",
            "timeout": 1}
    mine = ok(call(w, "B", route, json=body))
    assert w.a.get_all(route.path) == before
    assert mine["id"] in [x["id"] for x in w.b.get_all(route.path)]
    if "services" in route.path:
        ok(w.b.post(f"/managed/services/{mine['id']}/disable"))


@check("get-managed-ssh-key")
def _(w, route):
    managed_on(w)
    assert ok(call(w, "A", route))["ssh_key"] != ok(call(w, "B", route))["ssh_key"]


@check("get-managed-stats", "post-enable-account-managed")
def _(w, route):
    # An account of its own, with no Linode: it sees nothing of A's, and enabling Managed
    # there leaves A's settings as they were.
    managed_on(w)
    name = unique_username("m")
    c = Tenant(w.srv, name, create_account(w.srv.data_dir, name))
    before = ok(w.a.get("/account/settings"))
    ok(c.post("/account/settings/managed-enable"))
    assert ok(w.a.get("/account/settings")) == before
    if route.op == "get-managed-stats":
        assert ok(call(w, "A", route))["data"]["cpu"]
        assert ok(c.get(route.path))["data"]["cpu"] == []


@check("post-cancel-account")
def _(w, route):
    # Cancelling acts on the caller's own account: two accounts of their own here, since the
    # call ends the caller's. C's cancel leaves D's Linode and token as they were.
    c_name, d_name = unique_username("c"), unique_username("d")
    c = Tenant(w.srv, c_name, create_account(w.srv.data_dir, c_name))
    d = Tenant(w.srv, d_name, create_account(w.srv.data_dir, d_name))
    linode = create_linode(d, wait=("offline", "running"), label=unique_label("keep"))["id"]
    before = linode_state(w, linode, d)
    r = c.post(route.path, json={"comments": "bye"})
    assert r.status_code == 200, r.text
    assert_error(c.get("/profile"), 401)
    assert linode_state(w, linode, d) == before
    assert ok(d.get("/profile"))["username"] == d_name


@check("get-payment")
def _(w, route):
    m = a_method(w)
    p = ok(w.a.post("/account/payments", json={"usd": "5.00", "payment_method_id": m["id"]}))
    assert a_reads_b_404(w, route, {"paymentId": p["id"]})["usd"] == 5.0


@check("delete-payment-method", "post-make-payment-method-default")
def _(w, route):
    m = a_method(w)
    guarded(w, route, lambda: money(w.a), params={"paymentMethodId": m["id"]})


@check("post-payment-method", "post-credit-card", "post-payment", "post-pay-pal-payment",
       "post-execute-pay-pal-payment", "post-promo-credit")
def _(w, route):
    # Each acts on the caller's own account: B's call leaves A's money as it was.
    a_method(w)
    before = money(w.a)
    m = a_method(w)  # (A's, so that B naming it pays with nothing of A's)
    before = money(w.a)
    call(w, "B", route, json={"type": "credit_card", "is_default": True, "data": CARD, **CARD,
                              "usd": "5.00", "payment_method_id": m["id"],
                              "redirect_url": "https://b.example", "cancel_url": "https://b.example",
                              "payer_id": "B", "payment_id": "PAY-0", "promo_code": "NOPE"})
    assert money(w.a) == before


@check("get-account-agreements", "post-account-agreements")
def _(w, route):
    ok(w.a.post("/account/agreements", json={"privacy_policy": True}))
    a_agreements = ok(w.a.get("/account/agreements"))
    b = ok(call(w, "B", route, json={"eu_model": True}))
    if route.method == "GET":
        assert b["privacy_policy"] is False
    assert ok(w.a.get("/account/agreements")) == a_agreements


@check("post-tfa-enable", "post-tfa-confirm", "post-tfa-disable")
def _(w, route):
    # Each acts on the caller's own user: B's call leaves A's two-factor sign-in as it was.
    def a_state():
        return ok(w.a.get("/profile"))["two_factor_auth"], w.a.get_all("/profile/devices")
    before = a_state()
    call(w, "B", route, json={"tfa_code": "000000"})
    assert a_state() == before


def public_image_refused(w, route):
    # A public image is nobody's to change: refused alike for both, and it stays.
    before = ok(w.a.get(f"/images/{IMAGE}"))
    for who in ("B", "A"):
        assert_error(call(w, who, route, {"imageId": IMAGE}, json={"label": "mine"}), 403,
                     reason="Unauthorized")
    assert ok(w.a.get(f"/images/{IMAGE}")) == before


def a_private_image(w):
    """A new image of A's, captured from A's Linode's disk, available."""
    iid = ok(w.a.post("/images", json={"disk_id": w.disk, "label": unique_label("iso-i2")}))["id"]
    wait_until(lambda: ok(w.a.get(f"/images/{iid}"))["status"] == "available", what="image")
    return iid


def image_state(w, iid):
    """All A sees of an image: itself (if it exists) and its events."""
    r = w.a.get(f"/images/{iid}")
    number = int(iid.split("/")[1])
    return {"image": r.json() if r.status_code == 200 else r.status_code,
            "events": w.a.get_all("/account/events", filter={"entity.id": number,
                                                             "entity.type": "image"})}


@check("get-images")
def _(w, route):
    list_isolated(w, "/images", "id", [w.img],
                  filters=[{"label": w.img_label}, {"tags": w.tag}], every=False)
    list_lacks(w.b.get_all("/images"), "id",
               [i["id"] for i in w.a.get_all("/images", filter={"is_public": False})], "/images")
    assert_error(w.b.get(f"/images/{w.img}"), 404)


@check("get-image")
def _(w, route):
    assert a_reads_b_404(w, route)["label"] == w.img_label
    # A public image is everyone's.
    assert ok(call(w, "B", route, {"imageId": IMAGE})) == ok(call(w, "A", route,
                                                                   {"imageId": IMAGE}))
    # Deploying A's image is refused as deploying one that does not exist.
    body = {"region": "us-east", "type": "g6-nanode-1", "root_pass": ROOT_PASS}
    status = w.b.post("/linode/instances", json={**body, "image": "private/99999999"})
    assert_error(status, 400, "image")
    assert_error(w.b.post("/linode/instances", json={**body, "image": w.img}), 400, "image")
    assert_error(w.b.post(f"/linode/instances/{w.b_lin['id']}/rebuild",
                          json={**body, "image": w.img}), 400, "image")


@check("post-image")
def _(w, route):
    before = disks_of(w.a, w.lid)
    # A's disk is refused as a disk that does not exist.
    status = missing_status(w, route, {"disk_id": MISSING})
    assert_error(call(w, "B", route, json={"disk_id": w.disk}), status)
    assert disks_of(w.a, w.lid) == before
    idle(w.a, w.lid)
    iid = ok(call(w, "A", route, json={"disk_id": w.disk}))["id"]
    assert_error(w.b.get(f"/images/{iid}"), 404)
    wait_until(lambda: ok(w.a.get(f"/images/{iid}"))["status"] == "available", what="image")
    idle(w.a, w.lid)


@check("post-upload-image")
def _(w, route):
    theirs = ok(call(w, "B", route, json={"label": w.img_label, "region": "us-east"}))
    assert_error(w.a.get(f"/images/{theirs['image']['id']}"), 404)
    mine = ok(call(w, "A", route, json={"label": unique_label("a-up"), "region": "us-east"}))
    assert_error(w.b.get(f"/images/{mine['image']['id']}"), 404)
    # B's upload URL opens B's image only: A's number with B's secret is refused.
    secret = theirs["upload_to"].split("?secret=")[1]
    base = theirs["upload_to"].split("/image-uploads/")[0]
    number = mine["image"]["id"].split("/")[1]
    r = requests.put(f"{base}/image-uploads/{number}?secret={secret}", data=b"x", timeout=10)
    assert r.status_code == 403, r.text
    assert ok(w.a.get(f"/images/{mine['image']['id']}"))["status"] == "pending_upload"


@check("put-image")
def _(w, route):
    public_image_refused(w, route)
    guarded(w, route, lambda: image_state(w, w.img), params={"imageId": w.img},
            body={"label": "taken-by-b"}, a_body={"description": "A's words"})


@check("delete-image")
def _(w, route):
    public_image_refused(w, route)
    iid = a_private_image(w)
    guarded(w, route, lambda: image_state(w, iid), params={"imageId": iid})
    assert_error(w.a.get(f"/images/{iid}"), 404)


@check("post-replicate-image")
def _(w, route):
    iid = a_private_image(w)
    guarded(w, route, lambda: image_state(w, iid), params={"imageId": iid},
            body={"regions": ["us-east", "eu-west"]})
    wait_until(lambda: len(ok(w.a.get(f"/images/{iid}"))["regions"]) == 2, what="replicated")


@check("get-notifications", "get-maintenance")
def _(w, route):
    # A Linode of A's whose latest job failed (written as a failing driver would) and one whose
    # host's migration is scheduled (as a drain of a qemu host would): A is told, B is not.
    linode = create_linode(w.a, wait=None)["id"]
    idle(w.a, linode)
    db_execute(w.srv.data_dir, "UPDATE events SET status = 'failed' WHERE id = (SELECT MAX(id) "
                               "FROM events WHERE entity_type = 'linode' AND entity_id = ?)",
               (linode,))
    db_execute(w.srv.data_dir, "INSERT INTO host_migrations (linode_id, from_host, status, "
                               "scheduled) SELECT id, host_id, 'scheduled', '2030-01-01T00:00:00' "
                               "FROM linodes WHERE id = ?", (linode,))
    mine = [n["entity"]["id"] for n in ok(call(w, "A", route))["data"] if n["entity"]]
    assert linode in mine
    assert [n for n in w.b.get_all(route.path) if n["entity"] and n["entity"]["id"] in mine] == []
    if "notif" in route.path:
        # A's invoice is due; B is not told of it.
        a_invoice(w)
        due = {"type": "payment_due"}
        assert ok(call(w, "A", route, headers={"X-Filter": json.dumps(due)}))["results"] == 1
        assert w.b.get_all(route.path, filter=due) == []
    r = w.b.get(route.path, filter={"type": "notice" if "notif" in route.path else
                                    "cold_migration"})
    assert all(n["entity"]["id"] not in mine for n in ok(r)["data"])


@check("get-transfer")
def _(w, route):
    # Each account's pools are its own Linodes': a Linode B makes grows B's, not A's.
    mine, theirs = ok(call(w, "A", route)), ok(call(w, "B", route))
    assert mine["quota"] > 0
    made = create_linode(w.b, label=unique_label("pool"), type="g6-standard-2")
    assert ok(call(w, "A", route)) == mine
    assert ok(call(w, "B", route))["quota"] > theirs["quota"]
    assert w.b.delete(f"/linode/instances/{made['id']}").status_code == 200


@check("get-linode-firewalls")
def _(w, route):
    assert w.fw in [f["id"] for f in a_reads_b_404(w, route)["data"]]


@check("get-linode-volumes")
def _(w, route):
    assert w.vol in [v["id"] for v in a_reads_b_404(w, route)["data"]]


@check("get-linode-stats", "get-linode-stats-by-year-month")
def _(w, route):
    doc = a_reads_b_404(w, route)
    assert f"(linode{w.lid})" in doc["title"] and isinstance(doc["cpu"], list)


@check("get-linode-transfer")
def _(w, route):
    assert a_reads_b_404(w, route)["quota"] > 0


@check("get-linode-transfer-by-year-month")
def _(w, route):
    doc = a_reads_b_404(w, route)
    assert doc["bytes_total"] == doc["bytes_in"] + doc["bytes_out"]


# --- personal access tokens -----------------------------------------------------------------------

@check("get-personal-access-tokens")
def _(w, route):
    list_isolated(w, "/profile/tokens", "id", [w.token])
    list_lacks(w.b.get_all("/profile/tokens"), "label", [w.token_label], "/profile/tokens")


@check("post-personal-access-token")
def _(w, route):
    label = unique_label("b-pat")
    mine = ok(call(w, "B", route, json={"label": label, "scopes": "*"}))
    assert_error(w.a.get(f"/profile/tokens/{mine['id']}"), 404)
    list_lacks(w.a.get_all("/profile/tokens"), "id", [mine["id"]], "A's /profile/tokens")
    ok(call(w, "A", route, json={"label": unique_label("a-pat"), "scopes": "*"}))


@check("get-personal-access-token")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.token


@check("put-personal-access-token")
def _(w, route):
    guarded(w, route, lambda: ok(w.a.get(f"/profile/tokens/{w.token}")),
            body={"label": "stolen"}, a_body={"label": w.token_label})


@check("delete-personal-access-token")
def _(w, route):
    doomed = ok(w.a.post("/profile/tokens", json={"label": unique_label("a-del"),
                                                  "scopes": "*"}))
    guarded(w, route, lambda: ok(w.a.get(f"/profile/tokens/{doomed['id']}")),
            params={"tokenId": doomed["id"]})
    # B never held A's token: it worked until A deleted it.
    assert_error(w.a.get(f"/profile/tokens/{doomed['id']}"), 404)


# --- OAuth clients and apps -----------------------------------------------------------------------

def client_state(w, client_id):
    rows = db_execute(w.srv.data_dir, "SELECT secret_hash FROM oauth_clients WHERE id = ?",
                      (client_id,))
    return ok(w.a.get(f"/account/oauth-clients/{client_id}")), rows


def a_client(w):
    return create_client(w.a, label=unique_label("a-cl"), redirect_uri=REDIRECT)


@check("get-clients")
def _(w, route):
    list_isolated(w, "/account/oauth-clients", "id", [w.client["id"]],
                  filters=[{"label": w.client_label}])


@check("post-client")
def _(w, route):
    theirs = ok(call(w, "B", route, json={"label": unique_label("b-cl"), "redirect_uri": REDIRECT}))
    assert_error(w.a.get(f"/account/oauth-clients/{theirs['id']}"), 404)
    list_lacks(w.a.get_all("/account/oauth-clients"), "id", [theirs["id"]],
               "A's /account/oauth-clients")
    ok(call(w, "A", route, json={"label": unique_label("a-cl"), "redirect_uri": REDIRECT}))


@check("get-client")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.client["id"]


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6364f8ff1f0f0002870180eb47ba920000000049454e44ae426082")


@check("put-client-thumbnail")
def _(w, route):
    url = url_of(w, route, {})
    before = requests.get(w.srv.base_url + url, timeout=10).content
    r = w.b.request("PUT", url, data=b"\x89PNG\r\n\x1a\nB's", headers={"Content-Type": "image/png"})
    assert_error(r, 404)
    assert requests.get(w.srv.base_url + url, timeout=10).content == before
    assert w.a.request("PUT", url, data=PNG, headers={"Content-Type": "image/png"}).status_code \
        == 200


@check("get-client-thumbnail")
def _(w, route):
    # A client's thumbnail is public by design (it shows on the consent page): anyone reads it,
    # and it shows nothing else of A's.
    url = url_of(w, route, {})
    ok(w.a.request("PUT", url, data=PNG, headers={"Content-Type": "image/png"}))
    for who in (w.a, w.b):
        r = who.request("GET", url)
        assert r.status_code == 200 and r.content == PNG


@check("put-client")
def _(w, route):
    guarded(w, route, lambda: client_state(w, w.client["id"]),
            body={"label": "stolen", "redirect_uri": "https://evil.example/cb"},
            a_body={"label": w.client_label})


@check("delete-client")
def _(w, route):
    doomed = a_client(w)
    guarded(w, route, lambda: client_state(w, doomed["id"]), params={"clientId": doomed["id"]})


@check("post-reset-client-secret")
def _(w, route):
    client = a_client(w)
    guarded(w, route, lambda: client_state(w, client["id"]), params={"clientId": client["id"]})


@check("get-profile-apps")
def _(w, route):
    list_isolated(w, "/profile/apps", "id", [w.app])


@check("get-profile-app")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.app


@check("delete-profile-app")
def _(w, route):
    grant = authorize_app(w.srv, w.browser, w.client)
    doomed = w.a.get_all("/profile/apps")[-1]["id"]
    assert doomed != w.app
    guarded(w, route, lambda: ok(w.a.get(f"/profile/apps/{doomed}")),
            params={"appId": doomed})
    assert w.srv.get("/linode/instances", token=grant["access_token"]).status_code == 401


# --- users and grants -----------------------------------------------------------------------------

def a_user_state(w, username):
    return ok(w.a.get(f"/account/users/{username}")), w.a.get(
        f"/account/users/{username}/grants").text


@check("get-users")
def _(w, route):
    list_isolated(w, "/account/users", "username", [w.a.username, w.a_r],
                  filters=[{"username": w.a_r}, {"username": w.a.username}])
    list_lacks(w.b.get_all("/account/users"), "email", [f"{w.a_r}@example.com"],
               "/account/users")


@check("post-user")
def _(w, route):
    name = unique_username("tbn")
    ok(call(w, "B", route, json={"username": name, "email": f"{name}@example.com"}))
    assert_error(w.a.get(f"/account/users/{name}"), 404)
    list_lacks(w.a.get_all("/account/users"), "username", [name], "A's /account/users")
    # Usernames are unique on the whole server: B cannot take A's, and A's user is untouched.
    before = a_user_state(w, w.a_r)
    assert_error(call(w, "B", route, json={"username": w.a_r, "email": "evil@example.com"}), 400)
    assert a_user_state(w, w.a_r) == before
    name = unique_username("tan")
    ok(call(w, "A", route, json={"username": name, "email": f"{name}@example.com"}))


@check("get-user")
def _(w, route):
    assert a_reads_b_404(w, route)["username"] == w.a_r
    assert a_reads_b_404(w, route, {"username": w.a.username})["username"] == w.a.username


@check("put-user")
def _(w, route):
    guarded(w, route, lambda: a_user_state(w, w.a_r),
            body={"email": "evil@example.com", "restricted": False},
            a_body={"email": f"{w.a_r}@example.com"})
    guarded(w, route, lambda: a_user_state(w, w.a.username),
            body={"email": "evil@example.com"}, params={"username": w.a.username},
            a_body={"email": f"{w.a.username}@example.com"})


@check("delete-user")
def _(w, route):
    name = unique_username("tad")
    ok(w.a.post("/account/users", json={"username": name, "email": f"{name}@example.com"}))
    guarded(w, route, lambda: a_user_state(w, name), params={"username": name})
    # B cannot delete A's first user either.
    before = a_user_state(w, w.a.username)
    assert_error(call(w, "B", route, {"username": w.a.username}), 404)
    assert a_user_state(w, w.a.username) == before


def linode_ids_in_grants(grants):
    return {g["id"] for g in grants.get("linode", [])}


@check("get-user-grants")
def _(w, route):
    mine = a_reads_b_404(w, route)
    assert w.lid in linode_ids_in_grants(mine)
    # B's restricted user is listed B's Linodes only.
    theirs = ok(call(w, "B", route, {"username": w.b_r}))
    assert w.b_lin["id"] in linode_ids_in_grants(theirs)
    assert not linode_ids_in_grants(theirs) & {w.lid, w.alpha_modern}, theirs


@check("put-user-grants")
def _(w, route):
    body = {"linode": [{"id": w.lid, "permissions": "read_write"}]}
    guarded(w, route, lambda: a_user_state(w, w.a_r), body=body,
            a_body={"linode": [{"id": w.lid, "permissions": "read_only"}]})
    # B granting its own user A's Linode: the id names nothing in B's account.
    missing = {"linode": [{"id": MISSING, "permissions": "read_write"}]}
    status = missing_status(w, route, missing, {"username": w.b_r})
    assert_error(call(w, "B", route, {"username": w.b_r}, json=body), status)
    assert w.lid not in linode_ids_in_grants(ok(w.b.get(f"/account/users/{w.b_r}/grants")))
    assert_error(w.srv.get(f"/linode/instances/{w.lid}", token=w.b_r_token), 404)


@check("get-profile-grants")
def _(w, route):
    mine = ok(w.srv.get("/profile/grants", token=w.a_r_token))
    assert linode_ids_in_grants(mine) == {w.lid}
    r = call(w, "B", route)
    assert r.status_code == 204 and r.content == b"", r.text
    r = w.srv.get("/profile/grants", token=w.b_r_token)
    assert r.status_code == 200, r.text
    assert not linode_ids_in_grants(r.json()) & {w.lid, w.alpha_modern}
    assert w.a.username not in r.text and w.a_r not in r.text


# --- Linodes --------------------------------------------------------------------------------------

def a_linode_ids(w):
    return [l["id"] for l in w.a.get_all("/linode/instances")]


@check("get-linode-instances")
def _(w, route):
    list_isolated(w, "/linode/instances", "id", [w.lid, w.alpha_modern],
                  filters=[{"label": w.lin["label"]}, {"id": w.lid}, {"tags": w.tag}])


@check("post-linode-instance")
def _(w, route):
    # Labels are unique within an account only: B may take A's, A still finds just its own.
    body = {"region": "us-east", "type": "g6-nanode-1", "label": w.lin["label"]}
    theirs = ok(call(w, "B", route, json=body))
    assert theirs["label"] == w.lin["label"]
    assert_error(w.a.get(f"/linode/instances/{theirs['id']}"), 404)
    assert [l["id"] for l in w.a.get_all("/linode/instances",
                                         filter={"label": w.lin["label"]})] == [w.lid]
    ok(w.b.delete(f"/linode/instances/{theirs['id']}"))
    wait_until(lambda: w.b.get(f"/linode/instances/{theirs['id']}").status_code == 404,
               what="B's Linode deleted")
    ok(call(w, "A", route, json={"region": "us-east", "type": "g6-nanode-1",
                                 "label": unique_label("a")}))


@check("get-linode-instance")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.lid
    assert_error(call(w, "B", route, {"linodeId": w.alpha_modern}), 404)


@check("put-linode-instance")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid),
            body={"label": unique_label("stolen"), "tags": ["stolen"]},
            a_body={"label": w.lin["label"], "tags": [w.tag]})


@check("delete-linode-instance")
def _(w, route):
    doomed = fresh_linode(w.a)
    guarded(w, route, lambda: linode_state(w, doomed["id"]), params={"linodeId": doomed["id"]})


ACTIONS = {  # operation: (A's Linode booted?, body)
    "post-boot-linode-instance": (False, {}),
    "post-reboot-linode-instance": (True, {}),
    "post-shutdown-linode-instance": (True, {}),
    "post-rebuild-linode-instance": (True, {"image": IMAGE, "root_pass": NEW_PASS}),
    "post-resize-linode-instance": (True, {"type": "g6-standard-1"}),
    "post-migrate-linode-instance": (True, {"region": "eu-west"}),
    "post-clone-linode-instance": (True, {"region": "us-east", "type": "g6-nanode-1"}),
    "post-reset-linode-password": (False, {"root_pass": NEW_PASS}),
}


@check(*ACTIONS)
def _(w, route):
    booted, body = ACTIONS[route.op]
    linode = fresh_linode(w.a, booted=booted)
    # B's clone of A's Linode makes no Linode in B's account either.
    guarded(w, route,
            lambda: (linode_state(w, linode["id"]), len(w.b.get_all("/linode/instances"))),
            body=body, params={"linodeId": linode["id"]})


@check("post-mutate-linode-instance")
def _(w, route):
    # No catalog plan has a successor: A is told 400 about its own Linode, B 404.
    guarded(w, route, lambda: linode_state(w, w.lid), body={}, a_status=400)


@check("post-rescue-linode-instance")
def _(w, route):
    linode = fresh_linode(w.a)
    disk = disks_of(w.a, linode["id"])[0]["id"]
    guarded(w, route, lambda: linode_state(w, linode["id"]),
            body={"devices": {"sda": {"disk_id": disk}}}, params={"linodeId": linode["id"]})


def test_clone_onto_a_linode_of_another_account(w):
    """B cloning its own Linode onto A's (body linode_id) is refused as for a Linode that does not
    exist, and A's Linode is unchanged."""
    path = f"/linode/instances/{w.b_lin['id']}/clone"
    missing = w.b.post(path, json={"linode_id": MISSING})
    assert missing.status_code in (400, 404), missing.text
    target = fresh_linode(w.a, image=False)
    before = linode_state(w, target["id"])
    assert_error(w.b.post(path, json={"linode_id": target["id"]}), missing.status_code)
    assert linode_state(w, target["id"]) == before


# --- disks ----------------------------------------------------------------------------------------

@check("get-linode-disks")
def _(w, route):
    mine = ok(call(w, "A", route))["data"]
    assert w.disk in [d["id"] for d in mine]
    assert_error(call(w, "B", route), 404)


@check("post-add-linode-disk")
def _(w, route):
    empty = fresh_linode(w.a, image=False)
    guarded(w, route, lambda: linode_state(w, empty["id"]),
            body={"label": "stolen", "size": 100}, params={"linodeId": empty["id"]})


@check("get-linode-disk")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.disk


@check("put-disk")
def _(w, route):
    label = ok(w.a.get(f"/linode/instances/{w.lid}/disks/{w.disk}"))["label"]
    guarded(w, route, lambda: linode_state(w, w.lid), body={"label": "stolen"},
            a_body={"label": label})


DISK_OPS = {  # operation: (body, the disk of a fresh offline Linode it acts on)
    "delete-disk": None,
    "post-resize-disk": {"size": 200},
    "post-clone-linode-disk": None,
    "post-reset-disk-password": {"password": NEW_PASS},
}


@check(*DISK_OPS)
def _(w, route):
    if route.op == "post-reset-disk-password":
        linode = fresh_linode(w.a, booted=False)
        disk = next(d for d in disks_of(w.a, linode["id"]) if d["filesystem"] == "ext4")["id"]
    else:
        linode = fresh_linode(w.a, image=False)
        disk = new_disk(w.a, linode["id"])["id"]
    guarded(w, route, lambda: linode_state(w, linode["id"]), body=DISK_OPS[route.op],
            params={"linodeId": linode["id"], "diskId": disk})


# --- configs and interfaces -----------------------------------------------------------------------

def a_config(w):
    return ok(w.a.post(f"/linode/instances/{w.lid}/configs",
                       json={"label": unique_label("c"), "devices": {}}))["id"]


@check("get-linode-configs")
def _(w, route):
    assert w.config in [c["id"] for c in ok(call(w, "A", route))["data"]]
    assert_error(call(w, "B", route), 404)


@check("post-add-linode-config")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid),
            body={"label": unique_label("c"), "devices": {"sda": {"disk_id": w.disk}}})
    # B's own Linode cannot boot from A's disk: refused as a disk that does not exist.
    own = {"linodeId": w.b_lin["id"]}
    status = missing_status(w, route, {"label": "x", "devices": {"sda": {"disk_id": MISSING}}},
                            own)
    before = linode_state(w, w.lid)
    assert_error(call(w, "B", route, own,
                      json={"label": "x", "devices": {"sda": {"disk_id": w.disk}}}), status)
    assert linode_state(w, w.lid) == before


@check("get-linode-config")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.config


@check("put-linode-config")
def _(w, route):
    label = ok(w.a.get(f"/linode/instances/{w.lid}/configs/{w.config}"))["label"]
    guarded(w, route, lambda: linode_state(w, w.lid), body={"label": "stolen"},
            a_body={"label": label})


@check("delete-linode-config")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), params={"configId": a_config(w)})


@check("get-linode-config-interfaces")
def _(w, route):
    assert w.iface in [i["id"] for i in ok(call(w, "A", route))]
    assert_error(call(w, "B", route), 404)


@check("post-linode-config-interface")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), body={"purpose": "public"},
            params={"configId": a_config(w)})


@check("get-linode-config-interface")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.iface


@check("delete-linode-config-interface")
def _(w, route):
    config = a_config(w)
    iface = ok(w.a.post(f"/linode/instances/{w.lid}/configs/{config}/interfaces",
                        json={"purpose": "public"}))["id"]
    guarded(w, route, lambda: linode_state(w, w.lid),
            params={"configId": config, "interfaceId": iface})


@check("put-linode-config-interface")
def _(w, route):
    config = a_config(w)
    iface = ok(w.a.post(f"/linode/instances/{w.lid}/configs/{config}/interfaces",
                        json={"purpose": "public", "primary": False}))["id"]
    guarded(w, route, lambda: linode_state(w, w.lid), body={"primary": True},
            params={"configId": config, "interfaceId": iface})


@check("post-linode-config-interfaces")
def _(w, route):
    lid = fresh_linode(w.a, booted=False)["id"]
    config = w.a.get_all(f"/linode/instances/{lid}/configs")[0]["id"]
    ids = [ok(w.a.post(f"/linode/instances/{lid}/configs/{config}/interfaces",
                       json=body))["id"]
           for body in ({"purpose": "public"}, {"purpose": "vlan", "label": "iso-order"})]
    guarded(w, route, lambda: linode_state(w, lid), body={"ids": ids[::-1]},
            params={"linodeId": lid, "configId": config})


@check("get-linode-node-balancers")
def _(w, route):
    assert [n["id"] for n in a_reads_b_404(w, route)["data"]] == [w.nb_id]


# --- addresses ------------------------------------------------------------------------------------

@check("post-assign-ips", "post-assign-ipv4s")
def _(w, route):
    # A's address onto B's Linode, and B's onto A's: refused as addresses that do not exist.
    b_ip = w.b_lin["ipv4"][0]
    missing = {"region": "us-east",
               "assignments": [{"address": "203.0.113.77", "linode_id": w.b_lin["id"]}]}
    status = missing_status(w, route, missing)
    before = linode_state(w, w.lid)
    assert_error(call(w, "B", route, json={"region": "us-east", "assignments": [
        {"address": w.pub, "linode_id": w.b_lin["id"]},
        {"address": b_ip, "linode_id": w.lid}]}), status)
    assert_error(call(w, "A", route, json={"region": "us-east", "assignments": [
        {"address": b_ip, "linode_id": w.lid}]}), status)
    assert linode_state(w, w.lid) == before
    assert ok(w.b.get(f"/linode/instances/{w.b_lin['id']}"))["ipv4"] == w.b_lin["ipv4"]
    # A's own swap works.
    other = fresh_linode(w.a, image=False)
    ok(call(w, "A", route, json={"region": "us-east", "assignments": [
        {"address": other["ipv4"][0], "linode_id": other["id"]}]}))


@check("post-share-ips", "post-share-ipv4s")
def _(w, route):
    b_ip = w.b_lin["ipv4"][0]
    before = linode_state(w, w.lid)
    # B shares A's address with B's Linode, or its own with A's: neither is B's to name.
    status = missing_status(w, route, {"linode_id": w.b_lin["id"], "ips": ["203.0.113.78"]})
    assert_error(call(w, "B", route, json={"linode_id": w.b_lin["id"], "ips": [w.pub]}), status)
    assert_error(call(w, "B", route, json={"linode_id": w.lid, "ips": [b_ip]}), status)
    assert_error(call(w, "A", route, json={"linode_id": w.lid, "ips": [b_ip]}), status)
    assert linode_state(w, w.lid) == before
    assert ok(w.b.get(f"/linode/instances/{w.b_lin['id']}/ips"))["ipv4"]["shared"] == []
    ok(call(w, "A", route, json={"linode_id": w.lid, "ips": []}))

def a_addresses(w):
    return [i["address"] for i in w.a.get_all("/networking/ips")]


def new_public_ip(w):
    return ok(w.a.post(f"/linode/instances/{w.lid}/ips",
                       json={"type": "ipv4", "public": True}))["address"]


@check("get-linode-ips")
def _(w, route):
    mine = ok(call(w, "A", route))
    assert w.pub in [i["address"] for i in mine["ipv4"]["public"]]
    assert w.priv in [i["address"] for i in mine["ipv4"]["private"]]
    assert_error(call(w, "B", route), 404)


@check("post-add-linode-ip")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), body={"type": "ipv4", "public": True})


@check("get-linode-ip")
def _(w, route):
    assert a_reads_b_404(w, route)["address"] == w.pub
    assert a_reads_b_404(w, route, {"address": w.priv})["address"] == w.priv


@check("put-linode-ip")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), body={"rdns": "evil.example.org"},
            a_body={"rdns": w.rdns})


@check("delete-linode-ip")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), params={"address": new_public_ip(w)})


@check("get-ips")
def _(w, route):
    list_isolated(w, "/networking/ips", "address", [w.pub, w.priv],
                  filters=[{"linode_id": w.lid}])
    b_items = w.b.get_all("/networking/ips")
    list_lacks(b_items, "linode_id", a_linode_ids(w), "/networking/ips")
    list_lacks(b_items, "rdns", [w.rdns], "/networking/ips")
    assert w.slaac not in json.dumps(b_items)


@check("post-allocate-ip")
def _(w, route):
    status = missing_status(w, route, {"type": "ipv4", "public": True, "linode_id": MISSING})
    guarded(w, route, lambda: (linode_state(w, w.lid), len(w.b.get_all("/networking/ips"))),
            body={"type": "ipv4", "public": True, "linode_id": w.lid}, b_status=status)


@check("get-ip")
def _(w, route):
    assert a_reads_b_404(w, route)["rdns"] == w.rdns
    assert a_reads_b_404(w, route, {"address": w.priv})["linode_id"] == w.lid


@check("put-ip")
def _(w, route):
    guarded(w, route, lambda: linode_state(w, w.lid), body={"rdns": "evil.example.org"},
            a_body={"rdns": w.rdns})


# --- events ---------------------------------------------------------------------------------------

def a_event_ids(w):
    return [e["id"] for e in w.a.get_all("/account/events")]


def unseen_a_event(w):
    """A new event of A's (the create of a fresh Linode), neither seen nor read."""
    linode = fresh_linode(w.a, image=False)
    event = wait_event(w.a, linode["id"], "linode_create")
    assert not event["seen"] and not event["read"], event
    return event["id"]


def a_event(w, event_id):
    return ok(w.a.get(f"/account/events/{event_id}"))


@check("get-events")
def _(w, route):
    list_isolated(w, "/account/events", "id", [w.event],
                  filters=[{"entity.id": w.lid, "entity.type": "linode"}, {"id": w.event},
                           {"entity.id": w.alpha_modern, "entity.type": "linode"},
                           {"entity.id": w.vol, "entity.type": "volume"}])
    b_events = w.b.get_all("/account/events")
    list_lacks(b_events, "username", [w.a.username, w.a_r], "/account/events")
    assert not {e["entity"]["id"] for e in b_events
                if e.get("entity") and e["entity"]["type"] == "linode"} & set(a_linode_ids(w))
    assert w.vol not in {e["entity"]["id"] for e in b_events
                         if e.get("entity") and e["entity"]["type"] == "volume"}


@check("get-event")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.event


@check("post-event-seen", "post-event-read")
def _(w, route):
    field = route.op.split("-")[-1]
    event = unseen_a_event(w)
    # B's own newer event: marking it seen or read touches only B's events.
    mine = fresh_linode(w.b, image=False)
    ok(w.b.post(f"/account/events/{wait_event(w.b, mine['id'], 'linode_create')['id']}/{field}"))
    guarded(w, route, lambda: (a_event(w, event), [e[field] for e in
                                                   w.a.get_all("/account/events")]),
            params={"eventId": event})
    assert a_event(w, event)[field] is True


def test_b_marking_its_own_events_leaves_a_unseen(w):
    event = unseen_a_event(w)
    mine = fresh_linode(w.b, image=False)
    b_event = wait_event(w.b, mine["id"], "linode_create")["id"]
    assert b_event > event  # ids are server-wide: "seen" marks every event up to B's
    ok(w.b.post(f"/account/events/{b_event}/seen"))
    ok(w.b.post(f"/account/events/{b_event}/read"))
    assert ok(w.b.get(f"/account/events/{b_event}"))["seen"] is True
    doc = a_event(w, event)
    assert doc["seen"] is False and doc["read"] is False, doc


# --- volumes --------------------------------------------------------------------------------------

def a_volume(w, attached=False):
    """A new volume of A's, active (attached to A's Linode when asked)."""
    body = {"label": unique_label("iso-v").replace(".", "-")[:32], "region": "us-east"}
    if attached:
        body = {"label": body["label"], "linode_id": w.lid}
    vid = ok(w.a.post("/volumes", json=body))["id"]
    wait_until(lambda: ok(w.a.get(f"/volumes/{vid}"))["status"] == "active", what="volume")
    return vid


def volume_state(w, vid):
    """All A sees of a volume: itself (if it exists), its events, and A's Linode's volumes."""
    r = w.a.get(f"/volumes/{vid}")
    return {"volume": r.json() if r.status_code == 200 else r.status_code,
            "events": w.a.get_all("/account/events", filter={"entity.id": vid,
                                                             "entity.type": "volume"}),
            "attached": w.a.get_all(f"/linode/instances/{w.lid}/volumes"),
            "configs": w.a.get_all(f"/linode/instances/{w.lid}/configs")}


@check("get-volumes")
def _(w, route):
    list_isolated(w, "/volumes", "id", [w.vol],
                  filters=[{"label": w.vol_label}, {"tags": w.tag}])
    list_lacks(w.b.get_all("/volumes"), "label", [w.vol_label], "/volumes")


@check("get-volume")
def _(w, route):
    assert a_reads_b_404(w, route)["label"] == w.vol_label


@check("post-volume")
def _(w, route):
    before = volume_state(w, w.vol)
    status = missing_status(w, route, {"label": unique_label("bv").replace(".", "-"),
                                       "linode_id": MISSING})
    # Attaching to A's Linode is refused as attaching to one that does not exist.
    assert_error(call(w, "B", route, json={"label": unique_label("bv").replace(".", "-"),
                                           "linode_id": w.lid}), status)
    # A label of A's is free for B: labels are unique within an account only.
    mine = ok(call(w, "B", route, json={"label": w.vol_label, "region": "us-east"}))
    assert mine["id"] != w.vol and mine["linode_id"] is None
    assert volume_state(w, w.vol) == before
    ok(call(w, "A", route, json={"label": unique_label("av").replace(".", "-"),
                                 "region": "us-east"}))


@check("put-volume")
def _(w, route):
    guarded(w, route, lambda: volume_state(w, w.vol), body={"label": "taken-by-b"},
            a_body={"tags": [w.tag]})


@check("delete-volume")
def _(w, route):
    vid = a_volume(w)
    guarded(w, route, lambda: volume_state(w, vid), params={"volumeId": vid})
    assert_error(w.a.get(f"/volumes/{vid}"), 404)


@check("post-attach-volume")
def _(w, route):
    vid = a_volume(w)
    # B names A's volume with B's Linode, then B's... nothing of A's moves.
    guarded(w, route, lambda: volume_state(w, vid), params={"volumeId": vid},
            body={"linode_id": w.b_lin["id"]}, a_body={"linode_id": w.lid})
    wait_until(lambda: ok(w.a.get(f"/volumes/{vid}"))["linode_id"] == w.lid, what="attached")
    assert_error(w.b.post(f"/volumes/{vid}/attach", json={"linode_id": w.lid}), 404)
    # Tidy: A's Linode keeps room for the other checks (once the attach is done).
    wait_until(lambda: w.a.post(f"/volumes/{vid}/detach").status_code == 200, what="detach")
    wait_until(lambda: ok(w.a.get(f"/volumes/{vid}"))["linode_id"] is None, what="detached")


@check("post-detach-volume")
def _(w, route):
    vid = a_volume(w, attached=True)
    guarded(w, route, lambda: volume_state(w, vid), params={"volumeId": vid})
    wait_until(lambda: ok(w.a.get(f"/volumes/{vid}"))["linode_id"] is None, what="detached")


@check("post-resize-volume")
def _(w, route):
    vid = a_volume(w)
    size = ok(w.a.get(f"/volumes/{vid}"))["size"] + 10
    guarded(w, route, lambda: volume_state(w, vid), params={"volumeId": vid},
            body={"size": size})
    wait_until(lambda: ok(w.a.get(f"/volumes/{vid}"))["size"] == size, what="resized")


@check("post-clone-volume")
def _(w, route):
    label = unique_label("iso-c").replace(".", "-")[:32]
    before = len(w.a.get_all("/volumes"))
    guarded(w, route, lambda: (volume_state(w, w.vol), len(w.a.get_all("/volumes"))),
            body={"label": label})
    assert len(w.a.get_all("/volumes")) == before + 1
    assert label not in [v["label"] for v in w.b.get_all("/volumes")]


# --- firewalls ------------------------------------------------------------------------------------

FW_RULES = {"inbound_policy": "DROP", "outbound_policy": "ACCEPT",
            "inbound": [{"action": "ACCEPT", "protocol": "TCP", "ports": "22",
                         "addresses": {"ipv4": ["0.0.0.0/0"]}}]}


def fw_label(prefix):
    return unique_label(prefix).replace(".", "-")[:32]


def a_firewall(w, device=False):
    """A new firewall of A's; disabled, with A's Linode as its device, when asked (A's Linode
    has its enabled one)."""
    fid = ok(w.a.post("/networking/firewalls", json={"label": fw_label("iso-f"),
                                                     "rules": FW_RULES}))["id"]
    if device:
        ok(w.a.put(f"/networking/firewalls/{fid}", json={"status": "disabled"}))
        ok(w.a.post(f"/networking/firewalls/{fid}/devices", json={"id": w.lid, "type": "linode"}))
    return fid


def firewall_state(w, fid):
    """All A sees of a firewall: itself (if it exists), its devices, rules, history and events,
    and the firewalls of A's Linode."""
    r = w.a.get(f"/networking/firewalls/{fid}")
    if r.status_code != 200:
        return r.status_code
    return {"firewall": r.json(),
            "devices": w.a.get_all(f"/networking/firewalls/{fid}/devices"),
            "history": w.a.get_all(f"/networking/firewalls/{fid}/history"),
            "events": w.a.get_all("/account/events", filter={"entity.id": fid,
                                                             "entity.type": "firewall"}),
            "linode": w.a.get_all(f"/linode/instances/{w.lid}/firewalls")}


@check("get-firewalls")
def _(w, route):
    list_isolated(w, "/networking/firewalls", "id", [w.fw],
                  filters=[{"label": w.fw_label}, {"tags": w.tag}, {"id": w.fw}])
    list_lacks(w.b.get_all("/networking/firewalls"), "label", [w.fw_label], "firewalls")


@check("get-firewall")
def _(w, route):
    doc = a_reads_b_404(w, route)
    assert doc["label"] == w.fw_label and [e["id"] for e in doc["entities"]] == [w.lid]


@check("post-firewalls")
def _(w, route):
    before = firewall_state(w, w.fw)
    status = missing_status(w, route, {"label": fw_label("bf"), "rules": FW_RULES,
                                       "devices": {"linodes": [MISSING]}})
    # Guarding A's Linode is refused as guarding one that does not exist.
    assert_error(call(w, "B", route, json={"label": fw_label("bf"), "rules": FW_RULES,
                                           "devices": {"linodes": [w.lid]}}), status)
    # A's label is free for B: labels are unique within an account only.
    mine = ok(call(w, "B", route, json={"label": w.fw_label, "rules": FW_RULES}))
    assert mine["id"] != w.fw and mine["entities"] == []
    assert firewall_state(w, w.fw) == before
    ok(call(w, "A", route, json={"label": fw_label("af"), "rules": FW_RULES}))


@check("put-firewall")
def _(w, route):
    guarded(w, route, lambda: firewall_state(w, w.fw), body={"label": "taken-by-b"},
            a_body={"tags": [w.tag]})


@check("delete-firewall")
def _(w, route):
    fid = a_firewall(w, device=True)
    guarded(w, route, lambda: firewall_state(w, fid), params={"firewallId": fid})
    assert_error(w.a.get(f"/networking/firewalls/{fid}"), 404)


@check("get-firewall-rules")
def _(w, route):
    assert a_reads_b_404(w, route)["version"] >= 2


@check("put-firewall-rules")
def _(w, route):
    guarded(w, route, lambda: firewall_state(w, w.fw),
            body={"inbound_policy": "ACCEPT", "outbound_policy": "DROP"}, a_body=FW_RULES)


@check("get-firewall-rule-versions")
def _(w, route):
    assert [v["rules"]["version"] for v in a_reads_b_404(w, route)["data"]][:2] == [1, 2]


@check("get-firewall-rule-version")
def _(w, route):
    assert a_reads_b_404(w, route)["version"] == 1


@check("get-firewall-devices")
def _(w, route):
    assert [d["entity"]["id"] for d in a_reads_b_404(w, route)["data"]] == [w.lid]


@check("get-firewall-device")
def _(w, route):
    assert a_reads_b_404(w, route)["entity"]["id"] == w.lid


@check("post-firewall-device")
def _(w, route):
    fid = a_firewall(w)
    ok(w.a.put(f"/networking/firewalls/{fid}", json={"status": "disabled"}))
    # B adds B's Linode, then A's, to A's firewall: neither is found.
    guarded(w, route, lambda: firewall_state(w, fid), params={"firewallId": fid},
            body={"id": w.b_lin["id"], "type": "linode"}, a_body={"id": w.lid, "type": "linode"})
    assert_error(w.b.post(f"/networking/firewalls/{fid}/devices",
                          json={"id": w.lid, "type": "linode"}), 404)
    # B's own firewall cannot take A's Linode.
    theirs = ok(w.b.post("/networking/firewalls", json={"label": fw_label("bf2"),
                                                        "rules": FW_RULES}))["id"]
    assert_error(w.b.post(f"/networking/firewalls/{theirs}/devices",
                          json={"id": w.lid, "type": "linode"}), 400)


@check("delete-firewall-device")
def _(w, route):
    fid = a_firewall(w, device=True)
    device = ok(w.a.get(f"/networking/firewalls/{fid}/devices"))["data"][0]["id"]
    guarded(w, route, lambda: firewall_state(w, fid),
            params={"firewallId": fid, "deviceId": device})
    assert ok(w.a.get(f"/networking/firewalls/{fid}/devices"))["data"] == []


@check("post-apply-firewalls")
def _(w, route):
    def applied():
        return w.a.get_all("/account/events", filter={"action": "firewall_apply",
                                                      "entity.id": w.lid})
    guarded(w, route, applied)
    assert applied()


# --- NodeBalancers --------------------------------------------------------------------------------

def nb_params(w):
    """The paths of A's NodeBalancer's config and node (the fixture's configId is a Linode's)."""
    return {"configId": w.nb_config}


def a_nodebalancer(w):
    """A new NodeBalancer of A's with one config and one node (A's Linode's private address)."""
    made = ok(w.a.post("/nodebalancers", json={
        "region": "us-east", "configs": [{"port": 80, "nodes": [
            {"label": "a-node", "address": f"{w.priv}:80"}]}]}))
    config = ok(w.a.get(f"/nodebalancers/{made['id']}/configs"))["data"][0]["id"]
    node = ok(w.a.get(f"/nodebalancers/{made['id']}/configs/{config}/nodes"))["data"][0]["id"]
    return {"nodeBalancerId": made["id"], "configId": config, "nodeId": node}


def nodebalancer_state(w, nb_id):
    """All A sees of a NodeBalancer: itself (if it exists), its configs and nodes, firewalls
    and events."""
    r = w.a.get(f"/nodebalancers/{nb_id}")
    if r.status_code != 200:
        return r.status_code
    configs = w.a.get_all(f"/nodebalancers/{nb_id}/configs")
    return {"nodebalancer": r.json(), "configs": configs,
            "nodes": [w.a.get_all(f"/nodebalancers/{nb_id}/configs/{c['id']}/nodes")
                      for c in configs],
            "firewalls": w.a.get_all(f"/nodebalancers/{nb_id}/firewalls"),
            "events": w.a.get_all("/account/events", filter={"entity.id": nb_id,
                                                             "entity.type": "nodebalancer"})}


@check("get-node-balancers")
def _(w, route):
    list_isolated(w, "/nodebalancers", "id", [w.nb_id],
                  filters=[{"label": w.nb_label}, {"tags": w.tag}, {"ipv4": w.nb["ipv4"]}])
    list_lacks(w.b.get_all("/nodebalancers"), "label", [w.nb_label], "nodebalancers")


@check("get-node-balancer")
def _(w, route):
    assert a_reads_b_404(w, route)["label"] == w.nb_label


@check("post-node-balancer")
def _(w, route):
    before = nodebalancer_state(w, w.nb_id)
    # A node at A's Linode's private address is refused B as an address no Linode of B's has.
    status = missing_status(w, route, {"region": "us-east", "configs": [{"nodes": [
        {"label": "b-node", "address": "192.168.255.250:80"}]}]})
    assert_error(call(w, "B", route, json={"region": "us-east", "configs": [{"nodes": [
        {"label": "b-node", "address": f"{w.priv}:80"}]}]}), status)
    # A's firewall is not found for B.
    assert_error(call(w, "B", route, json={"region": "us-east", "firewall_id": w.nb_fw}), 400)
    # A's label is free for B.
    mine = ok(call(w, "B", route, json={"region": "us-east", "label": w.nb_label}))
    assert mine["id"] != w.nb_id and mine["ipv4"] != w.nb["ipv4"]
    assert nodebalancer_state(w, w.nb_id) == before
    ok(call(w, "A", route, json={"region": "us-east"}))


@check("put-node-balancer")
def _(w, route):
    guarded(w, route, lambda: nodebalancer_state(w, w.nb_id), body={"label": "taken-by-b"},
            a_body={"tags": [w.tag]})


@check("delete-node-balancer")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p)
    assert_error(w.a.get(f"/nodebalancers/{p['nodeBalancerId']}"), 404)


@check("get-node-balancer-configs")
def _(w, route):
    assert [c["id"] for c in a_reads_b_404(w, route)["data"]] == [w.nb_config]


@check("post-node-balancer-config")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p,
            body={"port": 8080})


@check("get-node-balancer-config")
def _(w, route):
    assert a_reads_b_404(w, route, nb_params(w))["port"] == 80


@check("put-node-balancer-config", "post-rebuild-node-balancer-config")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p,
            body={"port": 81, "nodes": [{"label": "b-node", "address": "127.0.0.5:80"}]})


@check("delete-node-balancer-config")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p)
    assert ok(w.a.get(f"/nodebalancers/{p['nodeBalancerId']}/configs"))["data"] == []


@check("get-node-balancer-config-nodes")
def _(w, route):
    assert [n["id"] for n in a_reads_b_404(w, route, nb_params(w))["data"]] == [w.nb_node]


@check("post-node-balancer-node")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p,
            body={"label": "b-node", "address": "127.0.0.6:80"})


@check("get-node-balancer-node")
def _(w, route):
    assert a_reads_b_404(w, route, nb_params(w))["address"] == f"{w.priv}:80"


@check("put-node-balancer-node")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p,
            body={"weight": 5})


@check("delete-node-balancer-config-node")
def _(w, route):
    p = a_nodebalancer(w)
    guarded(w, route, lambda: nodebalancer_state(w, p["nodeBalancerId"]), params=p)


@check("get-node-balancer-firewalls")
def _(w, route):
    assert [f["id"] for f in a_reads_b_404(w, route)["data"]] == [w.nb_fw]


@check("get-node-balancer-stats")
def _(w, route):
    # The sim driver serves nothing: A is told there are no statistics yet, B that there is
    # no such NodeBalancer.
    assert_error(call(w, "A", route), 400)
    assert_error(call(w, "B", route), 404)


# --- Domains --------------------------------------------------------------------------------------

def dom_name(prefix):
    return unique_label(prefix).replace(".", "-").replace("_", "-").lower() + ".example"


def a_domain(w):
    """A new Domain of A's with one record."""
    did = ok(w.a.post("/domains", json={"domain": dom_name("iso-d"), "type": "master",
                                        "soa_email": "a@example.org"}))["id"]
    rid = ok(w.a.post(f"/domains/{did}/records", json={"type": "A", "name": "www",
                                                        "target": "192.0.2.45"}))["id"]
    return {"domainId": did, "recordId": rid}


def domain_state(w, did):
    """All A sees of a Domain: itself (if it exists), its records, zone file and events."""
    r = w.a.get(f"/domains/{did}")
    if r.status_code != 200:
        return r.status_code
    return {"domain": r.json(), "records": w.a.get_all(f"/domains/{did}/records"),
            "zone": ok(w.a.get(f"/domains/{did}/zone-file")),
            "events": w.a.get_all("/account/events", filter={"entity.id": did,
                                                             "entity.type": "domain"})}


@check("get-domains")
def _(w, route):
    list_isolated(w, "/domains", "id", [w.dom],
                  filters=[{"domain": w.dom_name}, {"tags": w.tag}, {"id": w.dom}])
    list_lacks(w.b.get_all("/domains"), "domain", [w.dom_name], "domains")


@check("get-domain")
def _(w, route):
    assert a_reads_b_404(w, route)["domain"] == w.dom_name


@check("post-domain")
def _(w, route):
    before = domain_state(w, w.dom)
    # A's name is refused B as taken, without saying whose.
    r = call(w, "B", route, json={"domain": w.dom_name, "type": "master",
                                  "soa_email": "b@example.org"})
    assert_error(r, 400, "domain")
    assert str(w.dom) not in r.text
    ok(call(w, "B", route, json={"domain": dom_name("iso-b"), "type": "master",
                                 "soa_email": "b@example.org"}))
    assert domain_state(w, w.dom) == before
    ok(call(w, "A", route, json={"domain": dom_name("iso-a"), "type": "master",
                                 "soa_email": "a@example.org"}))


@check("post-import-domain")
def _(w, route):
    before = domain_state(w, w.dom)
    # B cannot import A's zone (its name is taken) nor learn of it.
    r = call(w, "B", route, json={"domain": w.dom_name, "remote_nameserver": "127.0.0.1:9"})
    assert_error(r, 400, "domain")
    assert domain_state(w, w.dom) == before


@check("put-domain")
def _(w, route):
    guarded(w, route, lambda: domain_state(w, w.dom), body={"description": "by b"},
            a_body={"tags": [w.tag]})


@check("delete-domain")
def _(w, route):
    p = a_domain(w)
    guarded(w, route, lambda: domain_state(w, p["domainId"]), params=p)
    assert_error(w.a.get(f"/domains/{p['domainId']}"), 404)


@check("post-clone-domain")
def _(w, route):
    before = domain_state(w, w.dom)
    guarded(w, route, lambda: domain_state(w, w.dom), body={"domain": dom_name("iso-bc")},
            a_body={"domain": dom_name("iso-ac")})
    assert domain_state(w, w.dom)["records"] == before["records"]


@check("get-domain-zone")
def _(w, route):
    assert "www IN A 192.0.2.44" in a_reads_b_404(w, route)["zone_file"]


@check("get-domain-records")
def _(w, route):
    assert [r["id"] for r in a_reads_b_404(w, route)["data"]] == [w.dom_record]


@check("post-domain-record")
def _(w, route):
    p = a_domain(w)
    guarded(w, route, lambda: domain_state(w, p["domainId"]), params=p,
            body={"type": "A", "name": "b", "target": "192.0.2.46"})


@check("get-domain-record")
def _(w, route):
    assert a_reads_b_404(w, route)["target"] == "192.0.2.44"


@check("put-domain-record")
def _(w, route):
    p = a_domain(w)
    guarded(w, route, lambda: domain_state(w, p["domainId"]), params=p,
            body={"target": "192.0.2.47"})


@check("delete-domain-record")
def _(w, route):
    p = a_domain(w)
    guarded(w, route, lambda: domain_state(w, p["domainId"]), params=p)
    assert ok(w.a.get(f"/domains/{p['domainId']}/records"))["data"] == []


# --- VPCs -----------------------------------------------------------------------------------------

def a_vpc(w):
    made = ok(w.a.post("/vpcs", json={
        "label": unique_label("iso-v").replace(".", "-").replace("_", "-")[:64],
        "region": "us-iad", "subnets": [{"label": "net", "ipv4": "10.8.0.0/24"}]}))
    return {"vpcId": made["id"], "vpcSubnetId": made["subnets"][0]["id"]}


def vpc_state(w, vpc_id):
    r = w.a.get(f"/vpcs/{vpc_id}")
    return {"vpc": r.json() if r.status_code == 200 else r.status_code,
            "events": w.a.get_all("/account/events", filter={"entity.id": vpc_id,
                                                             "entity.type": "vpc"})}


@check("get-vpcs")
def _(w, route):
    list_isolated(w, "/vpcs", "id", [w.vpc_id], filters=[{"label": w.vpc_label},
                                                         {"id": w.vpc_id}])


@check("get-vpc")
def _(w, route):
    assert a_reads_b_404(w, route)["label"] == w.vpc_label


@check("post-vpc")
def _(w, route):
    before = vpc_state(w, w.vpc_id)
    # A's label is free for B, and B's subnets may use A's ranges: VPCs are apart.
    mine = ok(call(w, "B", route, json={"label": w.vpc_label, "region": "us-iad", "subnets": [
        {"label": "a-net", "ipv4": "10.7.0.0/24"}]}))
    assert mine["id"] != w.vpc_id
    assert vpc_state(w, w.vpc_id) == before
    ok(call(w, "A", route, json={"label": unique_label("iso-av").replace(".", "-")[:64],
                                 "region": "us-iad"}))


@check("put-vpc")
def _(w, route):
    guarded(w, route, lambda: vpc_state(w, w.vpc_id), body={"description": "by b"},
            a_body={"description": "A's"})


@check("delete-vpc")
def _(w, route):
    p = a_vpc(w)
    guarded(w, route, lambda: vpc_state(w, p["vpcId"]), params=p)
    assert_error(w.a.get(f"/vpcs/{p['vpcId']}"), 404)


@check("get-vpcs-ips")
def _(w, route):
    list_isolated(w, "/vpcs/ips", "linode_id", [w.vpc_lin],
                  filters=[{"vpc_id": w.vpc_id}, {"linode_id": w.vpc_lin}])
    assert {i["address"] for i in w.a.get_all("/vpcs/ips", filter={"vpc_id": w.vpc_id})} == {
        "10.7.0.2"}


@check("get-vpc-ips")
def _(w, route):
    assert [i["address"] for i in a_reads_b_404(w, route)["data"]] == ["10.7.0.2"]


@check("get-vpc-subnets")
def _(w, route):
    assert [s["id"] for s in a_reads_b_404(w, route)["data"]] == [w.vpc_subnet]


@check("post-vpc-subnet")
def _(w, route):
    p = a_vpc(w)
    guarded(w, route, lambda: vpc_state(w, p["vpcId"]), params=p,
            body={"label": "b-net", "ipv4": "10.9.0.0/24"})


@check("get-vpc-subnet")
def _(w, route):
    subnet = a_reads_b_404(w, route)
    assert subnet["ipv4"] == "10.7.0.0/24"
    assert [n["id"] for n in subnet["linodes"]] == [w.vpc_lin]


@check("put-vpc-subnet")
def _(w, route):
    p = a_vpc(w)
    guarded(w, route, lambda: vpc_state(w, p["vpcId"]), params=p, body={"label": "by-b"})


@check("delete-vpc-subnet")
def _(w, route):
    p = a_vpc(w)
    guarded(w, route, lambda: vpc_state(w, p["vpcId"]), params=p)
    assert ok(w.a.get(f"/vpcs/{p['vpcId']}"))["subnets"] == []


# --- VLANs ----------------------------------------------------------------------------------------

@check("get-vlans")
def _(w, route):
    # A's Linode joined vlan-a; B, with no VLAN of its own by that name, sees none of A's.
    mine = [v for v in ok(call(w, "A", route))["data"] if v["label"] == "vlan-a"]
    assert [v["linodes"] for v in mine] == [[w.lid]]
    list_lacks(w.b.get_all("/networking/vlans"), "label", ["vlan-a"], "vlans")
    r = w.b.get("/networking/vlans", filter={"label": "vlan-a"})
    assert r.status_code == 200 and r.json()["data"] == []


# --- IPv6 ranges ----------------------------------------------------------------------------------

def v6_state(w):
    return {"ranges": w.a.get_all("/networking/ipv6/ranges"),
            "ips": ok(w.a.get(f"/linode/instances/{w.lid}/ips"))["ipv6"]["global"]}


@check("get-ipv6-ranges")
def _(w, route):
    list_isolated(w, "/networking/ipv6/ranges", "range", [w.v6_address],
                  filters=[{"range": w.v6_address}])


@check("get-ipv6-range")
def _(w, route):
    assert a_reads_b_404(w, route)["linodes"] == [w.lid]


@check("post-ipv6-range")
def _(w, route):
    before = v6_state(w)
    slaac = ok(w.a.get(f"/linode/instances/{w.lid}/ips"))["ipv6"]["slaac"]["address"]
    # A's Linode, by id or by its SLAAC address, is one B cannot route to.
    status = missing_status(w, route, {"linode_id": MISSING, "prefix_length": 64})
    assert_error(call(w, "B", route, json={"linode_id": w.lid, "prefix_length": 64}), status)
    assert_error(call(w, "B", route, json={"route_target": slaac, "prefix_length": 64}), 400)
    assert v6_state(w) == before
    mine = ok(call(w, "B", route, json={"linode_id": w.b_lin["id"], "prefix_length": 56}))
    assert mine["range"] not in [r["range"] for r in before["ranges"]]


@check("delete-ipv6-range")
def _(w, route):
    made = ok(w.a.post("/networking/ipv6/ranges", json={"linode_id": w.lid,
                                                        "prefix_length": 64}))["range"]
    address = made.split("/")[0]
    guarded(w, route, lambda: v6_state(w), params={"range": address})
    assert_error(w.a.get(f"/networking/ipv6/ranges/{address}"), 404)


@check("get-ipv6-pools")
def _(w, route):
    # The pools are the cloud's: the same for every account.
    assert ok(call(w, "A", route)) == ok(call(w, "B", route))


# --- placement groups -----------------------------------------------------------------------------

def pg_body(label, policy="flexible"):
    return {"label": label, "region": "us-east", "placement_group_type": "anti_affinity:local",
            "placement_group_policy": policy}


def a_spare_linode(w):
    """A new Linode of A's, in no placement group."""
    return create_from_image(w.a)["id"]


def a_group(w):
    return ok(w.a.post("/placement/groups", json=pg_body(unique_label("iso-g"))))["id"]


def group_state(w, gid):
    """All A sees of a placement group: itself (if it exists), its events, A's Linode."""
    r = w.a.get(f"/placement/groups/{gid}")
    return {"group": r.json() if r.status_code == 200 else r.status_code,
            "events": w.a.get_all("/account/events", filter={"entity.id": gid,
                                                             "entity.type": "placement_group"}),
            "linode": ok(w.a.get(f"/linode/instances/{w.lid}"))["placement_group"]}


@check("get-placement-groups")
def _(w, route):
    list_isolated(w, "/placement/groups", "id", [w.pg],
                  filters=[{"label": w.pg_label}, {"id": w.pg}])


@check("get-placement-group")
def _(w, route):
    assert [m["linode_id"] for m in a_reads_b_404(w, route)["members"]] == [w.lid]


@check("post-placement-group")
def _(w, route):
    before = group_state(w, w.pg)
    mine = ok(call(w, "B", route, json=pg_body(w.pg_label)))
    assert mine["id"] != w.pg and mine["members"] == []
    assert group_state(w, w.pg) == before
    ok(call(w, "A", route, json=pg_body(unique_label("iso-ag"))))


@check("put-placement-group")
def _(w, route):
    guarded(w, route, lambda: group_state(w, w.pg), body={"label": "taken-by-b"},
            a_body={"label": w.pg_label})


@check("delete-placement-group")
def _(w, route):
    gid = a_group(w)
    guarded(w, route, lambda: group_state(w, gid), params={"groupId": gid})
    assert_error(w.a.get(f"/placement/groups/{gid}"), 404)


@check("post-group-add-linode")
def _(w, route):
    gid = a_group(w)
    # B's Linode into A's group, and A's Linode into A's group as B: nothing found.
    guarded(w, route, lambda: group_state(w, gid), params={"groupId": gid},
            body={"linodes": [w.b_lin["id"]]}, a_body={"linodes": [a_spare_linode(w)]})
    assert_error(w.b.post(f"/placement/groups/{gid}/assign", json={"linodes": [w.lid]}), 404)
    # B's own group cannot take A's Linode.
    theirs = ok(w.b.post("/placement/groups", json=pg_body(unique_label("iso-bg"))))["id"]
    assert_error(w.b.post(f"/placement/groups/{theirs}/assign", json={"linodes": [w.lid]}), 400)


@check("post-group-unassign")
def _(w, route):
    gid = a_group(w)
    spare = a_spare_linode(w)
    ok(w.a.post(f"/placement/groups/{gid}/assign", json={"linodes": [spare]}))
    guarded(w, route, lambda: group_state(w, gid), params={"groupId": gid},
            body={"linodes": [spare]}, a_body={"linodes": [spare]})


# --- StackScripts ---------------------------------------------------------------------------------

def a_stackscript(w):
    return ok(w.a.post("/linode/stackscripts", json={"label": unique_label("iso-ss2"),
                                                     "images": [IMAGE],
                                                     "script": "#!/bin/sh\ntrue\n"}))["id"]


def stackscript_state(w, sid):
    """All A sees of a StackScript: itself (if it exists) and its events."""
    r = w.a.get(f"/linode/stackscripts/{sid}")
    return {"stackscript": r.json() if r.status_code == 200 else r.status_code,
            "events": w.a.get_all("/account/events", filter={"entity.id": sid,
                                                             "entity.type": "stackscript"})}


@check("get-stack-scripts")
def _(w, route):
    # Public scripts (other tests make some of A's) are everyone's: only A's private ones count.
    list_isolated(w, "/linode/stackscripts", "id", [w.ss],
                  filters=[{"label": w.ss_label}, {"description": "A's own"}], every=False)
    private = [s["id"] for s in w.a.get_all("/linode/stackscripts", filter={"is_public": False})]
    assert w.ss in private
    list_lacks(w.b.get_all("/linode/stackscripts"), "id", private, "/linode/stackscripts")
    list_lacks(w.b.get_all("/linode/stackscripts"), "label", [w.ss_label], "/linode/stackscripts")
    assert all(not s["mine"] for s in w.b.get_all("/linode/stackscripts", filter={"mine": True})
               if s["id"] == w.ss)


@check("get-stack-script")
def _(w, route):
    assert a_reads_b_404(w, route)["label"] == w.ss_label
    # Deploying A's private script is refused as deploying one that does not exist.
    body = {"region": "us-east", "type": "g6-nanode-1", "image": IMAGE, "root_pass": ROOT_PASS,
            "stackscript_data": {"word": "x"}}
    missing = w.b.post("/linode/instances", json={**body, "stackscript_id": MISSING})
    assert_error(missing, 400, "stackscript_id")
    assert_error(w.b.post("/linode/instances", json={**body, "stackscript_id": w.ss}), 400,
                 "stackscript_id")
    assert_error(w.b.post(f"/linode/instances/{w.b_lin['id']}/rebuild",
                          json={**body, "stackscript_id": w.ss}), 400, "stackscript_id")
    assert ok(w.a.get(f"/linode/stackscripts/{w.ss}"))["deployments_total"] == 0


@check("post-add-stack-script")
def _(w, route):
    before = stackscript_state(w, w.ss)
    # A label of A's is free for B; B's script is B's own.
    mine = ok(call(w, "B", route, json={"label": w.ss_label, "images": [IMAGE],
                                        "script": "#!/bin/sh\n"}))
    assert mine["id"] != w.ss and mine["mine"] is True
    assert_error(w.a.get(f"/linode/stackscripts/{mine['id']}"), 404)
    assert stackscript_state(w, w.ss) == before
    ok(call(w, "A", route, json={"label": unique_label("a-ss"), "images": [IMAGE],
                                 "script": "#!/bin/sh\n"}))


@check("put-stack-script")
def _(w, route):
    guarded(w, route, lambda: stackscript_state(w, w.ss),
            body={"label": "taken-by-b", "is_public": True}, a_body={"rev_note": "A's note"})


@check("delete-stack-script")
def _(w, route):
    sid = a_stackscript(w)
    guarded(w, route, lambda: stackscript_state(w, sid), params={"stackscriptId": sid})
    assert_error(w.a.get(f"/linode/stackscripts/{sid}"), 404)


# --- backups --------------------------------------------------------------------------------------

def backup_state(w, lid):
    """All A sees of a Linode's backups, with the Linode itself."""
    return {"backups": ok(w.a.get(f"/linode/instances/{lid}/backups")),
            "linode": linode_state(w, lid)}


def a_backed_up_linode(w):
    """A new Linode of A's with backups enabled and a snapshot taken: (id, backup id)."""
    lid = fresh_linode(w.a)["id"]
    ok(w.a.post(f"/linode/instances/{lid}/backups/enable"))
    bid = ok(w.a.post(f"/linode/instances/{lid}/backups", json={"label": "iso"}))["id"]
    wait_until(lambda: ok(w.a.get(f"/linode/instances/{lid}/backups/{bid}"))["status"]
               == "successful", what="snapshot")
    idle(w.a, lid)
    return lid, bid


@check("get-backups")
def _(w, route):
    assert ok(call(w, "A", route))["snapshot"]["current"]["id"] == w.backup
    assert_error(call(w, "B", route), 404)


@check("get-backup")
def _(w, route):
    # The current snapshot (A's own snapshot check may have replaced the first).
    current = ok(w.a.get(f"/linode/instances/{w.lid}/backups"))["snapshot"]["current"]
    params = {"backupId": current["id"]}
    assert a_reads_b_404(w, route, params)["label"] == current["label"]
    # A's backup under B's own Linode's path: not B's either.
    assert_error(call(w, "B", route, {"linodeId": w.b_lin["id"], **params}), 404)


@check("post-snapshot")
def _(w, route):
    guarded(w, route, lambda: backup_state(w, w.lid), body={"label": "by-b"})
    idle(w.a, w.lid)


@check("post-enable-backups")
def _(w, route):
    guarded(w, route, lambda: backup_state(w, w.lid))


@check("post-cancel-backups")
def _(w, route):
    lid, _ = a_backed_up_linode(w)
    guarded(w, route, lambda: backup_state(w, lid), params={"linodeId": lid})


@check("post-restore-backup")
def _(w, route):
    lid, bid = a_backed_up_linode(w)
    # B restoring A's backup onto B's Linode, through A's path or B's: nothing of A's moves.
    before = backup_state(w, lid)
    b_disks = disks_of(w.b, w.b_lin["id"])
    for params in ({"linodeId": lid, "backupId": bid},
                   {"linodeId": w.b_lin["id"], "backupId": bid}):
        assert_error(call(w, "B", route, params, json={"linode_id": w.b_lin["id"],
                                                       "overwrite": True}), 404)
    # A cannot restore onto B's Linode: refused as a Linode that does not exist.
    status = call(w, "A", route, {"linodeId": lid, "backupId": bid},
                  json={"linode_id": MISSING}).status_code
    assert_error(call(w, "A", route, {"linodeId": lid, "backupId": bid},
                      json={"linode_id": w.b_lin["id"], "overwrite": True}), status)
    assert backup_state(w, lid) == before
    assert disks_of(w.b, w.b_lin["id"]) == b_disks
    ok(call(w, "A", route, {"linodeId": lid, "backupId": bid},
            json={"linode_id": lid, "overwrite": True}))
    wait_until(lambda: ok(w.a.get(f"/linode/instances/{lid}"))["status"] == "offline",
               what="restored")


# --- tags -----------------------------------------------------------------------------------------

def tag_state(w, label):
    return sorted(o["data"]["id"] for o in w.a.get_all(f"/tags/{label}")), linode_state(w, w.lid)


@check("get-tags")
def _(w, route):
    # Only A's tag made for this test: B may hold a tag of the same label as another of A's.
    list_isolated(w, "/tags", "label", [w.tag], filters=[{"label": w.tag}], every=False)


@check("post-tag")
def _(w, route):
    label = unique_label("iso-t2")
    ok(call(w, "A", route, json={"label": label, "linodes": [w.lid]}))
    before = tag_state(w, label)
    # Naming A's Linode is refused as naming a Linode that does not exist.
    status = missing_status(w, route, {"label": unique_label("b"), "linodes": [MISSING]})
    assert_error(call(w, "B", route, json={"label": unique_label("b"), "linodes": [w.lid]}),
                 status)
    assert_error(call(w, "B", route, json={"label": label, "linodes": [w.lid]}), status)
    assert tag_state(w, label) == before
    # A tag of the same label is B's own: it tags B's Linode only, and shows B nothing of A's.
    ok(call(w, "B", route, json={"label": label, "linodes": [w.b_lin["id"]]}))
    assert tag_state(w, label) == before
    assert [o["data"]["id"] for o in w.b.get_all(f"/tags/{label}")] == [w.b_lin["id"]]


@check("get-tagged-objects")
def _(w, route):
    objects = ok(call(w, "A", route))["data"]
    assert w.lid in [o["data"]["id"] for o in objects if o["type"] == "linode"]
    assert w.vol in [o["data"]["id"] for o in objects if o["type"] == "volume"]
    assert_error(call(w, "B", route), 404)


@check("delete-ag")
def _(w, route):
    label = unique_label("iso-del")
    ok(w.a.post("/tags", json={"label": label, "linodes": [w.lid]}))
    guarded(w, route, lambda: tag_state(w, label), params={"tagLabel": label})
    assert label not in ok(w.a.get(f"/linode/instances/{w.lid}"))["tags"]


# --- the 2016 alpha API ---------------------------------------------------------------------------

def alpha_ids(w):
    return [f"linode_{i}" for i in a_linode_ids(w)]


@check("alpha-get-linodes")
def _(w, route):
    mine = w.a.alpha_all()
    assert w.alpha in [l["id"] for l in mine] and f"linode_{w.lid}" in [l["id"] for l in mine]
    list_lacks(w.b.alpha_all(), "id", alpha_ids(w), "/linodes")
    label = ok(w.a.alpha("GET", f"/linodes/{w.alpha}"))["label"]
    assert [l["id"] for l in w.a.alpha_all(filter={"label": label})] == [w.alpha]
    assert w.b.alpha_all(filter={"label": label}) == []


@check("alpha-post-linode")
def _(w, route):
    body = {"datacenter": "datacenter_6", "service": "service_112", "source": "distro_140",
            "root_pass": ROOT_PASS}
    theirs = ok(call(w, "B", route, json=body))["linode"]["id"]
    assert_error(w.a.alpha("GET", f"/linodes/{theirs}"), 404)
    list_lacks(w.a.alpha_all(), "id", [theirs], "A's /linodes")
    ok(call(w, "A", route, json=body))


def alpha_state(w, lid):
    return ok(w.a.alpha("GET", f"/linodes/{lid}")), linode_state(w, int(lid[len("linode_"):]))


@check("alpha-get-linode")
def _(w, route):
    assert a_reads_b_404(w, route)["id"] == w.alpha
    assert a_reads_b_404(w, route, {"linodeId": f"linode_{w.lid}"})["id"] == f"linode_{w.lid}"


@check("alpha-put-linode")
def _(w, route):
    label = ok(w.a.alpha("GET", f"/linodes/{w.alpha}"))["label"]
    guarded(w, route, lambda: alpha_state(w, w.alpha), body={"label": "Stolen Label"},
            a_body={"label": label})


@check("alpha-delete-linode", "alpha-boot-linode", "alpha-reboot-linode", "alpha-shutdown-linode")
def _(w, route):
    lid = alpha_create(w.a, booted=route.op != "alpha-boot-linode")
    guarded(w, route, lambda: alpha_state(w, lid), params={"linodeId": lid})


# --- the property, route by route -----------------------------------------------------------------

def test_every_route_has_an_isolation_check():
    ops = [r.op for r in ROUTES]
    assert len(ops) == len(set(ops))
    assert not set(CHECKS) & set(GLOBAL)
    assert sorted(set(ops) - set(CHECKS) - set(GLOBAL)) == [], "routes with no isolation check"
    assert sorted((set(CHECKS) | set(GLOBAL)) - set(ops)) == [], "checks of routes that are gone"


@pytest.mark.parametrize("route", ROUTES, ids=[r.op for r in ROUTES])
def test_isolated(w, route):
    if route.op in GLOBAL:
        assert route.method == "GET", f"{route.op}: only reads can be global"
        mine = call(w, "A", route)
        assert mine.status_code == 200, mine.text
        theirs = call(w, "B", route)
        assert theirs.status_code == 200 and theirs.json() == mine.json()
        return
    assert route.op in CHECKS, f"{route.op} has no isolation check: add one to CHECKS"
    CHECKS[route.op](w, route)
