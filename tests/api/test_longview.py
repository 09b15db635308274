"""Longview: the subscriptions and types on offer (open to anyone), the account's clients
(labels unique in the account, keys made by the server, events, filters), and its plan, which
caps how many clients it may have (the free plan: 10); and what their agents post, as the
Longview agent posts it, and fetch back."""
import gzip
import json
import re
import time

import requests

from support import assert_error, assert_list, create_account, put_grants, restricted_user, \
    unique_username

KEY = r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{16}"


def test_the_catalog(server):
    subs = assert_list(requests.get(server.base_url + "/longview/subscriptions", timeout=10), 4)
    assert [(s["id"], s["clients_included"]) for s in subs] == [
        ("longview-3", 3), ("longview-10", 10), ("longview-40", 40), ("longview-100", 100)]
    assert subs[1]["price"] == {"hourly": 0.06, "monthly": 40.0}
    assert requests.get(server.base_url + "/longview/subscriptions/longview-40",
                        timeout=10).json() == subs[2]
    assert_error(server.get("/longview/subscriptions/longview-7"), 404)
    types = assert_list(requests.get(server.base_url + "/longview/types", timeout=10), 4)
    assert set(types[0]) == {"id", "label", "price", "region_prices", "transfer"}


def test_clients_and_the_plan(server):
    me = dict(token=create_account(server.data_dir, unique_username("lv")))
    r = server.post("/longview/clients", json={"label": "web-1"}, **me)
    assert r.status_code == 200, r.text
    c = r.json()
    assert set(c) == {"id", "label", "api_key", "install_code", "apps", "created", "updated"}
    assert re.fullmatch(KEY, c["api_key"]) and re.fullmatch(KEY, c["install_code"])
    assert c["apps"] == {"apache": False, "mysql": False, "nginx": False}
    unnamed = server.post("/longview/clients", json={}, **me).json()
    assert unnamed["label"] == f"client{unnamed['id']}"
    for body in ({"label": "web-1"}, {"label": "a"}, {"label": "bad label"}):
        assert_error(server.post("/longview/clients", json=body, **me), 400, "label")
    assert server.get(f"/longview/clients/{c['id']}", **me).json() == c
    r = server.put(f"/longview/clients/{c['id']}", json={"label": "web-2"}, **me)
    assert r.status_code == 200 and r.json()["label"] == "web-2"
    assert [x["label"] for x in server.get_all("/longview/clients", filter={"label": "web-2"},
                                               **me)] == ["web-2"]
    events = server.get_all("/account/events", filter={"entity.type": "longviewclient",
                                                       "entity.id": c["id"]}, **me)
    assert sorted(e["action"] for e in events) == ["longviewclient_create",
                                                   "longviewclient_update"]
    assert events[0]["entity"]["url"] == f"/v4/longview/clients/{c['id']}"
    # Another account sees none of it.
    assert_error(server.get(f"/longview/clients/{c['id']}"), 404)

    # The free plan takes 10 clients; a smaller plan than the clients is refused.
    assert server.get("/longview/plan", **me).json() == {}
    for _ in range(8):
        assert server.post("/longview/clients", json={}, **me).status_code == 200
    assert_error(server.post("/longview/clients", json={}, **me), 400)
    assert_error(server.put("/longview/plan", json={"longview_subscription": "longview-3"}, **me),
                 400, "longview_subscription")
    assert_error(server.put("/longview/plan", json={"longview_subscription": "nope"}, **me),
                 400, "longview_subscription")
    plan = server.put("/longview/plan", json={"longview_subscription": "longview-40"}, **me)
    assert plan.status_code == 200 and plan.json()["id"] == "longview-40"
    assert server.get("/longview/plan", **me).json()["clients_included"] == 40
    settings = server.get("/account/settings", **me).json()
    assert settings["longview_subscription"] == "longview-40"
    # Sent back as GET shows it, the settings are accepted.
    assert server.put("/account/settings", json=settings, **me).status_code == 200
    assert server.post("/longview/clients", json={}, **me).status_code == 200
    assert server.delete(f"/longview/clients/{c['id']}", **me).json() == {}
    assert_error(server.get(f"/longview/clients/{c['id']}", **me), 404)


def test_a_restricted_user_needs_grants(server):
    username, token = restricted_user(server, "lvr")
    assert_error(server.post("/longview/clients", json={}, token=token), 403)
    assert_error(server.put("/longview/plan", json={"longview_subscription": "longview-10"},
                            token=token), 403)
    mine = server.post("/longview/clients", json={}).json()
    assert server.get("/longview/clients", token=token).json()["data"] == []
    put_grants(server, username, longview=[{"id": mine["id"], "permissions": "read_only"}])
    assert [x["id"] for x in server.get_all("/longview/clients", token=token)] == [mine["id"]]
    assert_error(server.put(f"/longview/clients/{mine['id']}", json={"label": "nope-x"},
                            token=token), 403)
    server.delete(f"/longview/clients/{mine['id']}")


def agent_post(srv, api_key, samples, gzipped=True):
    """What the Longview agent sends: multipart form data whose `data` field is the JSON of its
    samples, gzip-compressed."""
    body = json.dumps({"apikey": api_key, "version": "1.0", "timestamp": int(time.time()),
                       "payload": samples}).encode()
    if gzipped:
        body = gzip.compress(body)
    return requests.post(srv.root + "/longview/post", timeout=10,
                         files={"data": ("json.gz", body, "application/json")})


def sample(at, **longterm):
    return {"timestamp": at,
            "INSTANT": {"SysInfo": {"hostname": "web-1", "client": "1.1.5"}, "Uptime": 5029.86},
            "LONGTERM": {"CPU.cpu0.user": 5258, "Memory.real.used": 353756, **longterm}}


def test_an_agent_posts_its_samples(server):
    me = dict(token=create_account(server.data_dir, unique_username("lva")))
    client = server.post("/longview/clients", json={}, **me).json()
    assert client["apps"] == {"apache": False, "mysql": False, "nginx": False}
    now = int(time.time())
    r = agent_post(server, client["api_key"], [
        sample(now - 60), sample(now, **{"Applications.Nginx.status": 0,
                                         "Applications.Nginx.requests": 12})])
    assert r.status_code == 200 and r.json() == {"sleep": 60}
    after = server.get(f"/longview/clients/{client['id']}", **me).json()
    assert after["apps"] == {"apache": False, "mysql": False, "nginx": True}
    assert after["updated"] >= client["updated"]

    def fetch(action, **fields):
        r = requests.post(server.root + "/longview/fetch", timeout=10,
                          data={"api_key": client["api_key"], "api_action": action, **fields})
        assert r.status_code == 200, r.text
        return r.json()[0]

    assert fetch("lastUpdated")["DATA"] == {"updated": now}
    latest = fetch("getLatestValue", keys=json.dumps(["CPU.*", "SysInfo.hostname", "Nope"]))
    assert latest["DATA"] == {"CPU.cpu0.user": 5258, "SysInfo.hostname": "web-1"}
    assert latest["ERRORARRAY"] == []
    # The agent's clock is taken within the day kept and five minutes ahead.
    r = agent_post(server, client["api_key"], [sample(now + 86400.5)])
    assert r.status_code == 200, r.text
    assert now <= fetch("lastUpdated")["DATA"]["updated"] <= int(time.time()) + 300
    assert agent_post(server, client["api_key"], [sample(now)] * 61).status_code == 400
    # Plain JSON is taken too; a key of no client is told to stop; nonsense is a 400.
    r = agent_post(server, client["api_key"], [sample(now + 1)], gzipped=False)
    assert r.status_code == 200 and r.json() == {"sleep": 60}
    r = agent_post(server, "00000000-0000-0000-0000000000000000", [sample(now)])
    assert r.status_code == 200 and r.json() == {"die": "please"}
    r = requests.post(server.root + "/longview/post", timeout=10,
                      files={"data": ("json.gz", b"\x1f\x8bnot gzip", "application/json")})
    assert r.status_code == 400
    r = requests.post(server.root + "/longview/fetch", timeout=10,
                      data={"api_key": "nope", "api_action": "lastUpdated"})
    assert r.json()[0]["ERRORARRAY"][0]["TEXT"] == "Authentication failed"
    # Deleting the client forgets its samples: its agent is told to stop.
    assert server.delete(f"/longview/clients/{client['id']}", **me).status_code == 200
    assert agent_post(server, client["api_key"], [sample(now)]).json() == {"die": "please"}
