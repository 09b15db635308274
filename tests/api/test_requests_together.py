"""Requests that wait for a handler are taken together and their callers found in one round trip
(ServerOptions::batch): under many concurrent clients of two accounts (a full token, a token of
few scopes, a restricted user with a grant, another account's owner, a revoked token and an
unknown one), with one handler thread so that reads queue, every answer is its own caller's, and
every write lands in its caller's account."""
import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from support import create_account, create_linode, put_grants, restricted_user, unique_username

CLIENTS = 16
ROUNDS = 60


def prepared_together(srv):
    text = requests.get(srv.root + "/metrics", timeout=10).text
    return int(re.search(r"^linnet_http_requests_prepared_together_total (\d+)$", text, re.M)[1])


def tags(srv, token):
    return {t["label"] for t in srv.get_all("/tags", token=token) if t["label"].startswith("lane")}


def test_requests_taken_together_answer_each_caller_as_itself(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "1", "LINNET_SIM_SCALE": "0"})
    owner = srv.get("/profile").json()["username"]
    a_ids = [create_linode(srv, label=f"lane-a-{i}")["id"] for i in range(2)]

    b_name = unique_username("laneb")
    b_token = create_account(srv.data_dir, b_name)
    for i in range(2):
        r = srv.post("/linode/instances", token=b_token, json={
            "region": "us-east", "type": "g6-nanode-1", "label": f"lane-b-{i}"})
        assert r.status_code == 200, r.text

    reader, reader_token = restricted_user(srv, "laner")
    put_grants(srv, reader, linode=[{"id": a_ids[0], "permissions": "read_only"}])
    narrow = srv.make_token("linodes:read_only")
    revoked = srv.post("/profile/tokens", json={"label": "lane-revoked", "scopes": "*"}).json()
    assert srv.delete(f"/profile/tokens/{revoked['id']}").status_code == 200

    # Each caller: its token, and what it must be answered: its username on /profile, the labels
    # of its Linodes list and its account's email on /account (None: refused with that status).
    a_email = srv.get("/account").json()["email"]
    b_email = srv.get("/account", token=b_token).json()["email"]
    assert a_email != b_email
    callers = {
        "owner": (srv.token, owner, {"lane-a-0", "lane-a-1"}, a_email),
        "narrow": (narrow, owner, {"lane-a-0", "lane-a-1"}, None),
        "reader": (reader_token, reader, {"lane-a-0"}, None),
        "other account": (b_token, b_name, {"lane-b-0", "lane-b-1"}, b_email),
        "revoked": (revoked["token"], None, None, None),
        "unknown": ("f" * 64, None, None, None),
    }
    # Alone, each is answered so; the same answers are expected when requests are taken together.
    refused = {}
    for name, (token, username, labels, email) in callers.items():
        for path in ("/profile", "/linode/instances", "/account"):
            r = srv.get(path, token=token)
            if r.status_code != 200:
                refused[name, path] = r.status_code
        r = srv.post("/tags", token=token, json={"label": f"probe-{name.replace(' ', '-')}"})
        if r.status_code != 200:
            refused[name, "/tags"] = r.status_code
    assert refused == {("narrow", "/account"): 401, ("reader", "/account"): 403,
                       ("narrow", "/tags"): 401, ("reader", "/tags"): 403,
                       **{(name, path): 401 for name in ("revoked", "unknown")
                          for path in ("/profile", "/linode/instances", "/account", "/tags")}}, \
        refused
    created = {name: set() for name in callers}
    before = prepared_together(srv)
    wrong = []
    lock = threading.Lock()

    def client(seed):
        rng = random.Random(seed)
        session = requests.Session()
        for n in range(ROUNDS):
            name = rng.choice(sorted(callers))
            token, username, labels, email = callers[name]
            path = rng.choice(["/profile", "/linode/instances", "/account", "/tags"])
            method = "HEAD" if path == "/linode/instances" and rng.random() < 0.2 else "GET"
            body = None
            if path == "/tags":
                method, body = "POST", {"label": f"lane-{seed}-{n}"}
            r = session.request(method, srv.base_url + path, timeout=30, json=body,
                                headers={"Authorization": f"Bearer {token}"})
            if method == "POST" and r.status_code == 200:
                with lock:
                    created[name].add(body["label"])
            expected = refused.get((name, path), 200)
            problem = None
            if r.status_code != expected:
                problem = f"status {r.status_code}, not {expected}"
            elif expected == 200 and method == "GET":
                body = r.json()
                if path == "/profile" and body["username"] != username:
                    problem = f"profile of {body['username']}"
                if path == "/linode/instances" and {x["label"] for x in body["data"]} != labels:
                    problem = f"Linodes {sorted(x['label'] for x in body['data'])}"
                if path == "/account" and body["email"] != email:
                    problem = f"account of {body['email']}"
            if problem:
                with lock:
                    wrong.append(f"{method} {path} as {name}: {problem}")

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    assert not wrong, wrong[:10]
    # Each account holds the tags its own callers made, and none of the other's.
    assert created["owner"] and created["other account"]
    assert tags(srv, srv.token) == created["owner"]
    assert tags(srv, b_token) == created["other account"]
    # The requests did queue for the handlers, and were taken together.
    assert prepared_together(srv) - before > 0
