"""/nodebalancers on the sim driver: create (with configs, nodes and a firewall), get, list,
filter, update, delete; configs (one per port, checked as Linode checks them), their nodes
(private addresses of the account's Linodes, or 127.0.0.0/8 on loopback networking), rebuild;
TLS certificates read for their common name and fingerprint and never shown again; a Linode's
NodeBalancers, tags, types, statistics, events, grants. Nothing is served on the sim driver: a
node's status stays unknown."""
import subprocess

import pytest

from support import (assert_error, assert_list, create_from_image, db_execute, put_grants,
                     restricted_user, unique_label)

FIELDS = {"id", "label", "region", "type", "hostname", "ipv4", "ipv6", "client_conn_throttle",
          "client_udp_sess_throttle", "lke_cluster", "tags", "transfer", "created", "updated"}
CONFIG_FIELDS = {"id", "port", "protocol", "algorithm", "stickiness", "check", "check_interval",
                 "check_timeout", "check_attempts", "check_path", "check_body", "check_passive",
                 "proxy_protocol", "cipher_suite", "nodebalancer_id", "ssl_commonname",
                 "ssl_fingerprint", "ssl_cert", "ssl_key", "nodes_status"}
NODE_FIELDS = {"id", "address", "label", "status", "weight", "mode", "config_id",
               "nodebalancer_id"}
REGION = "us-east"


def nblabel(prefix="nb"):
    return unique_label(prefix).replace(".", "-")[:32]


def create_nb(srv, **fields):
    body = {"region": REGION, "label": nblabel()}
    body.update(fields)
    r = srv.post("/nodebalancers", json=body)
    assert r.status_code == 200, f"{body}: {r.status_code} {r.text}"
    return r.json()


def private_linode(srv, region=REGION):
    """A Linode of the account with a private address: (linode, its private IPv4)."""
    linode = create_from_image(srv, region=region, private_ip=True)
    ips = srv.get(f"/linode/instances/{linode['id']}/ips").json()
    return linode, ips["ipv4"]["private"][0]["address"]


def events_of(srv, nb_id, action):
    return srv.get_all("/account/events", filter={"entity.id": nb_id,
                                                  "entity.type": "nodebalancer",
                                                  "action": action})


def configs_of(srv, nb_id):
    return srv.get_all(f"/nodebalancers/{nb_id}/configs")


def nodes_of(srv, nb_id, config_id):
    return srv.get_all(f"/nodebalancers/{nb_id}/configs/{config_id}/nodes")


def test_create_get_list_update_delete(sim):
    made = create_nb(sim, tags=["web"], client_conn_throttle=5)
    assert set(made) == FIELDS
    assert made["region"] == REGION and made["type"] == "common"
    assert made["client_conn_throttle"] == 5 and made["tags"] == ["web"]
    assert made["transfer"] == {"in": None, "out": None, "total": None}
    assert made["ipv4"].count(".") == 3 and made["ipv6"].startswith("2001:db8:")
    assert made["hostname"] == made["ipv4"].replace(".", "-") + ".ip.linnet.internal"
    assert sim.get(f"/nodebalancers/{made['id']}").json() == made
    for f in ({"label": made["label"]}, {"ipv4": made["ipv4"]},
              {"region": REGION, "tags": "web", "label": made["label"]}):
        assert assert_list(sim.get("/nodebalancers", filter=f), 1) == [made], f
    renamed = nblabel("renamed")
    r = sim.put(f"/nodebalancers/{made['id']}",
                json={"label": renamed, "client_conn_throttle": 0, "tags": []})
    assert r.status_code == 200, r.text
    assert (r.json()["label"], r.json()["client_conn_throttle"], r.json()["tags"]) == (
        renamed, 0, [])
    assert len(events_of(sim, made["id"], "nodebalancer_update")) == 1
    assert sorted(r[0] for r in db_execute(
        sim.data_dir, "SELECT address FROM ips WHERE nodebalancer_id = ?", (made["id"],))) == \
        sorted([made["ipv4"], made["ipv6"]])
    assert sim.delete(f"/nodebalancers/{made['id']}").json() == {}
    assert_error(sim.get(f"/nodebalancers/{made['id']}"), 404)
    assert [e["entity"]["url"] for e in events_of(sim, made["id"], "nodebalancer_create")] == [
        f"/v4/nodebalancers/{made['id']}"]
    assert len(events_of(sim, made["id"], "nodebalancer_delete")) == 1
    # Its addresses are free again: their rows went with it.
    assert db_execute(sim.data_dir, "SELECT address FROM ips WHERE nodebalancer_id = ?",
                      (made["id"],)) == []


def test_label_defaults_to_the_id_and_is_unique(sim):
    r = sim.post("/nodebalancers", json={"region": REGION})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == f"balancer{r.json()['id']}"
    assert_error(sim.post("/nodebalancers", json={"region": REGION, "label": r.json()["label"]}),
                 400, "label")
    other = create_nb(sim)
    assert_error(sim.put(f"/nodebalancers/{other['id']}", json={"label": r.json()["label"]}),
                 400, "label")


@pytest.mark.parametrize("body,field", [
    ({}, "region"),
    ({"region": "nowhere-1"}, "region"),
    ({"region": REGION, "label": "no"}, "label"),
    ({"region": REGION, "label": "has space"}, "label"),
    ({"region": REGION, "client_conn_throttle": 21}, "client_conn_throttle"),
    ({"region": REGION, "client_conn_throttle": "5"}, "client_conn_throttle"),
    ({"region": REGION, "configs": {}}, "configs"),
    ({"region": REGION, "configs": [{"port": 0}]}, "configs[0].port"),
    ({"region": REGION, "configs": [{"port": 80}, {"port": 80}]}, "configs[1].port"),
    ({"region": REGION, "configs": [{"protocol": "udp"}]}, "configs[0].protocol"),
    ({"region": REGION, "configs": [{"algorithm": "random"}]}, "configs[0].algorithm"),
    ({"region": REGION, "configs": [{"check_interval": 5, "check_timeout": 5}]},
     "configs[0].check_interval"),
    ({"region": REGION, "configs": [{"protocol": "tcp", "check": "http"}]}, "configs[0].check"),
    ({"region": REGION, "configs": [{"protocol": "http", "proxy_protocol": "v1"}]},
     "configs[0].proxy_protocol"),
    ({"region": REGION, "configs": [{"protocol": "https"}]}, "configs[0].ssl_cert"),
    ({"region": REGION, "configs": [{"protocol": "http", "ssl_cert": "x"}]},
     "configs[0].ssl_cert"),
    ({"region": REGION, "configs": [{"check": "http_body", "check_path": "/"}]},
     "configs[0].check_body"),
    ({"region": REGION, "configs": [{"check": "http", "check_path": "/a b"}]},
     "configs[0].check_path"),
    ({"region": REGION, "configs": [{"check_body": "a\nb"}]}, "configs[0].check_body"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "8.8.8.8:80"}]}]},
     "configs[0].nodes[0].address"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "127.0.0.1"}]}]},
     "configs[0].nodes[0].address"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "127.0.0.1:0"}]}]},
     "configs[0].nodes[0].address"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "w", "address": "127.0.0.1:80"}]}]},
     "configs[0].nodes[0].label"),
    ({"region": REGION, "configs": [{"nodes": [{"address": "127.0.0.1:80"}]}]},
     "configs[0].nodes[0].label"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "127.0.0.1:80",
                                                "weight": 256}]}]},
     "configs[0].nodes[0].weight"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "127.0.0.1:80",
                                                "mode": "maybe"}]}]},
     "configs[0].nodes[0].mode"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web", "address": "127.0.0.1:80"},
                                               {"label": "web2", "address": "127.0.0.1:80"}]}]},
     "configs[0].nodes[1].address"),
    ({"region": REGION, "configs": [{"nodes": [{"label": "web",
                                                "address": "192.168.255.254:80"}]}]},
     "configs[0].nodes[0].address"),
    ({"region": REGION, "firewall_id": 99999999}, "firewall_id"),
])
def test_create_checks_every_field(sim, body, field):
    before = len(sim.get_all("/nodebalancers"))
    assert_error(sim.post("/nodebalancers", json=body), 400, field)
    assert len(sim.get_all("/nodebalancers")) == before


def test_configs_and_nodes_made_with_the_balancer(sim):
    linode, private = private_linode(sim)
    made = create_nb(sim, configs=[
        {"port": 80, "protocol": "http", "algorithm": "leastconn", "check": "http",
         "check_path": "/health", "check_interval": 10, "check_timeout": 3,
         "nodes": [{"label": "web-1", "address": f"{private}:80", "weight": 10},
                   {"label": "local", "address": "127.0.0.9:8080", "mode": "backup"}]},
        {"port": 5432, "protocol": "tcp", "proxy_protocol": "v2", "stickiness": "table"}])
    configs = configs_of(sim, made["id"])
    assert [c["port"] for c in configs] == [80, 5432]
    web, db = configs
    assert set(web) == CONFIG_FIELDS
    assert (web["algorithm"], web["check"], web["check_path"], web["check_interval"],
            web["check_timeout"], web["check_attempts"]) == ("leastconn", "http", "/health", 10,
                                                             3, 3)
    assert (db["proxy_protocol"], db["stickiness"], db["check"]) == ("v2", "table", "none")
    assert web["nodes_status"] == {"up": 0, "down": 2}
    assert web["ssl_cert"] is None and web["ssl_key"] is None and web["ssl_commonname"] == ""
    nodes = nodes_of(sim, made["id"], web["id"])
    assert [set(n) for n in nodes] == [NODE_FIELDS, NODE_FIELDS]
    assert [(n["label"], n["address"], n["weight"], n["mode"], n["status"]) for n in nodes] == [
        ("web-1", f"{private}:80", 10, "accept", "unknown"),
        ("local", "127.0.0.9:8080", 50, "backup", "unknown")]
    assert all(n["config_id"] == web["id"] and n["nodebalancer_id"] == made["id"] for n in nodes)
    assert sim.get(f"/nodebalancers/{made['id']}/configs/{web['id']}").json() == web
    one = sim.get(f"/nodebalancers/{made['id']}/configs/{web['id']}/nodes/{nodes[0]['id']}")
    assert one.json() == nodes[0]
    # The Linode whose private address is a node has the NodeBalancer among its own.
    theirs = sim.get_all(f"/linode/instances/{linode['id']}/nodebalancers")
    assert [n["id"] for n in theirs] == [made["id"]]
    other = create_from_image(sim)
    assert sim.get_all(f"/linode/instances/{other['id']}/nodebalancers") == []
    # A config of one NodeBalancer is not found under another.
    elsewhere = create_nb(sim)
    assert_error(sim.get(f"/nodebalancers/{elsewhere['id']}/configs/{web['id']}"), 404)
    assert_error(sim.get(f"/nodebalancers/{made['id']}/configs/{db['id']}/nodes/"
                         f"{nodes[0]['id']}"), 404)


def test_config_create_update_delete(sim):
    nb = create_nb(sim)
    r = sim.post(f"/nodebalancers/{nb['id']}/configs", json={"port": 8080})
    assert r.status_code == 200, r.text
    config = r.json()
    assert (config["port"], config["protocol"], config["algorithm"], config["check_interval"],
            config["check_timeout"], config["check_passive"], config["cipher_suite"]) == (
        8080, "http", "roundrobin", 31, 30, True, "recommended")
    assert_error(sim.post(f"/nodebalancers/{nb['id']}/configs", json={"port": 8080}), 400, "port")
    url = f"/nodebalancers/{nb['id']}/configs/{config['id']}"
    r = sim.put(url, json={"port": 9090, "algorithm": "source", "check": "connection",
                           "check_attempts": 5, "stickiness": "http_cookie"})
    assert r.status_code == 200, r.text
    assert (r.json()["port"], r.json()["algorithm"], r.json()["check"],
            r.json()["check_attempts"], r.json()["stickiness"]) == (9090, "source", "connection",
                                                                    5, "http_cookie")
    assert sim.get(url).json() == r.json()
    # A change that breaks a rule leaves the config as it was.
    assert_error(sim.put(url, json={"protocol": "tcp"}), 400, "stickiness")
    assert_error(sim.put(url, json={"check_timeout": 31}), 400, "check_timeout")
    assert sim.get(url).json() == r.json()
    second = sim.post(f"/nodebalancers/{nb['id']}/configs", json={"port": 443}).json()
    assert_error(sim.put(url, json={"port": 443}), 400, "port")
    assert len(events_of(sim, nb["id"], "nodebalancer_config_create")) == 2
    assert len(events_of(sim, nb["id"], "nodebalancer_config_update")) == 1
    assert sim.delete(url).json() == {}
    assert_error(sim.get(url), 404)
    assert [c["id"] for c in configs_of(sim, nb["id"])] == [second["id"]]
    assert len(events_of(sim, nb["id"], "nodebalancer_config_delete")) == 1


def test_node_create_update_delete(sim):
    linode, private = private_linode(sim)
    nb = create_nb(sim, configs=[{"port": 80}])
    config = configs_of(sim, nb["id"])[0]
    base = f"/nodebalancers/{nb['id']}/configs/{config['id']}/nodes"
    r = sim.post(base, json={"label": "web-1", "address": f"{private}:80"})
    assert r.status_code == 200, r.text
    node = r.json()
    assert (node["weight"], node["mode"], node["status"]) == (50, "accept", "unknown")
    assert_error(sim.post(base, json={"label": "web-2", "address": f"{private}:80"}), 400,
                 "address")
    assert_error(sim.post(base, json={"label": "web-2", "address": "203.0.113.5:80"}), 400,
                 "address")
    assert_error(sim.post(base, json={"label": "web-2"}), 400, "address")
    r = sim.put(f"{base}/{node['id']}", json={"weight": 200, "mode": "drain", "label": "web.a"})
    assert r.status_code == 200, r.text
    assert (r.json()["weight"], r.json()["mode"], r.json()["label"]) == (200, "drain", "web.a")
    assert_error(sim.put(f"{base}/{node['id']}", json={"weight": 0}), 400, "weight")
    assert sim.get(f"{base}/{node['id']}").json() == r.json()
    assert sim.delete(f"{base}/{node['id']}").json() == {}
    assert_error(sim.get(f"{base}/{node['id']}"), 404)
    for action in ("nodebalancer_node_create", "nodebalancer_node_update",
                   "nodebalancer_node_delete"):
        assert len(events_of(sim, nb["id"], action)) == 1, action
    # Another account's Linode (or none) at a private address is refused the same way.
    assert_error(sim.post(base, json={"label": "nobody", "address": "192.168.200.200:80"}), 400,
                 "address")


def test_rebuild_keeps_named_nodes_and_replaces_the_rest(sim):
    nb = create_nb(sim, configs=[{"port": 80, "nodes": [
        {"label": "keep", "address": "127.0.0.2:80", "weight": 7},
        {"label": "drop", "address": "127.0.0.3:80"}]}])
    config = configs_of(sim, nb["id"])[0]
    keep, drop = nodes_of(sim, nb["id"], config["id"])
    r = sim.post(f"/nodebalancers/{nb['id']}/configs/{config['id']}/rebuild", json={
        "port": 81, "protocol": "tcp", "nodes": [
            {"id": keep["id"], "mode": "backup"},
            {"label": "added", "address": "127.0.0.4:80"}]})
    assert r.status_code == 200, r.text
    assert r.json()["port"] == 81 and r.json()["protocol"] == "tcp"
    nodes = nodes_of(sim, nb["id"], config["id"])
    assert [(n["id"] == keep["id"], n["label"], n["address"], n["weight"], n["mode"])
            for n in nodes] == [(True, "keep", "127.0.0.2:80", 7, "backup"),
                                (False, "added", "127.0.0.4:80", 50, "accept")]
    assert drop["id"] not in [n["id"] for n in nodes]
    url = f"/nodebalancers/{nb['id']}/configs/{config['id']}/rebuild"
    assert_error(sim.post(url, json={"port": 81}), 400, "nodes")
    assert_error(sim.post(url, json={"nodes": [{"id": 99999999, "label": "x-y"}]}), 400,
                 "nodes[0].id")
    assert [n["id"] for n in nodes_of(sim, nb["id"], config["id"])] == [n["id"] for n in nodes]


def self_signed(tmp_path, cn):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={cn}"],
                   check=True, capture_output=True)
    fingerprint = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-fingerprint",
                                  "-sha1"], check=True, capture_output=True, text=True).stdout
    return cert.read_text(), key.read_text(), fingerprint.strip().split("=", 1)[1]


def test_https_certificates_are_read_and_never_shown(sim, tmp_path):
    cert, key, fingerprint = self_signed(tmp_path, "shop.example.com")
    nb = create_nb(sim)
    r = sim.post(f"/nodebalancers/{nb['id']}/configs",
                 json={"port": 443, "protocol": "https", "ssl_cert": cert, "ssl_key": key})
    assert r.status_code == 200, r.text
    config = r.json()
    assert config["ssl_commonname"] == "shop.example.com"
    assert config["ssl_fingerprint"] == fingerprint
    assert config["ssl_cert"] == "<REDACTED>" and config["ssl_key"] == "<REDACTED>"
    assert cert not in sim.get(f"/nodebalancers/{nb['id']}/configs").text
    other_cert, other_key, _ = self_signed(tmp_path, "other.example.com")
    base = f"/nodebalancers/{nb['id']}/configs"
    assert_error(sim.post(base, json={"port": 8443, "protocol": "https", "ssl_cert": cert,
                                      "ssl_key": other_key}), 400, "ssl_key")
    assert_error(sim.post(base, json={"port": 8443, "protocol": "https", "ssl_cert": "nope",
                                      "ssl_key": key}), 400, "ssl_cert")
    # A PUT of other fields keeps the certificate; back to http drops it.
    r = sim.put(f"{base}/{config['id']}", json={"algorithm": "source"})
    assert r.status_code == 200 and r.json()["ssl_commonname"] == "shop.example.com"
    r = sim.put(f"{base}/{config['id']}", json={"protocol": "http"})
    assert r.status_code == 200, r.text
    assert r.json()["ssl_cert"] is None and r.json()["ssl_commonname"] == ""


def test_firewalls_guard_nodebalancers(sim):
    rules = {"inbound_policy": "DROP", "outbound_policy": "ACCEPT", "inbound": [
        {"action": "ACCEPT", "protocol": "TCP", "ports": "80", "addresses": {"ipv4": ["0.0.0.0/0"]}}],
        "outbound": []}
    fw = sim.post("/networking/firewalls",
                  json={"label": nblabel("fw"), "rules": rules}).json()
    nb = create_nb(sim, firewall_id=fw["id"])
    assert [f["id"] for f in sim.get_all(f"/nodebalancers/{nb['id']}/firewalls")] == [fw["id"]]
    entities = sim.get(f"/networking/firewalls/{fw['id']}").json()["entities"]
    assert entities == [{"id": nb["id"], "type": "nodebalancer", "label": nb["label"],
                         "url": f"/v4/nodebalancers/{nb['id']}"}]
    # One enabled firewall per NodeBalancer.
    second = sim.post("/networking/firewalls", json={"label": nblabel("fw"), "rules": rules})
    assert_error(sim.post(f"/networking/firewalls/{second.json()['id']}/devices",
                          json={"id": nb["id"], "type": "nodebalancer"}), 400, "id")
    other = create_nb(sim)
    r = sim.post(f"/networking/firewalls/{second.json()['id']}/devices",
                 json={"id": other["id"], "type": "nodebalancer"})
    assert r.status_code == 200, r.text
    assert r.json()["entity"]["type"] == "nodebalancer"
    assert r.json()["entity"]["label"] == other["label"]
    made = sim.post("/networking/firewalls", json={"label": nblabel("fw"), "rules": rules,
                                                   "devices": {"nodebalancers": [99999999]}})
    assert_error(made, 400, "devices.nodebalancers")
    # A deleted NodeBalancer is no firewall's device any more.
    assert sim.delete(f"/nodebalancers/{nb['id']}").json() == {}
    assert sim.get(f"/networking/firewalls/{fw['id']}").json()["entities"] == []
    assert sim.get_all(f"/networking/firewalls/{fw['id']}/devices") == []


def test_tags_stats_and_types(sim):
    tag = unique_label("tag")[:50]
    nb = create_nb(sim, tags=[tag])
    objects = sim.get(f"/tags/{tag}").json()["data"]
    assert [(o["type"], o["data"]["id"]) for o in objects] == [("nodebalancer", nb["id"])]
    other = create_nb(sim)
    second = unique_label("tag")[:50]
    assert sim.post("/tags", json={"label": second, "nodebalancers": [other["id"]]}).status_code \
        == 200
    assert sim.get(f"/nodebalancers/{other['id']}").json()["tags"] == [second]
    assert_error(sim.post("/tags", json={"label": unique_label("tag"),
                                         "nodebalancers": [99999999]}), 400, "nodebalancers")
    assert sim.delete(f"/tags/{tag}").json() == {}
    assert sim.get(f"/nodebalancers/{nb['id']}").json()["tags"] == []
    # The sim driver serves nothing: no statistics yet, as a new NodeBalancer has none.
    assert_error(sim.get(f"/nodebalancers/{nb['id']}/stats"), 400)
    types = sim.get("/nodebalancers/types", token=None)
    assert types.status_code == 200
    assert [t["id"] for t in types.json()["data"]] == ["nodebalancer"]
    assert types.json()["data"][0]["price"] == {"hourly": 0.015, "monthly": 10.0}


def test_restricted_users_need_grants(sim):
    username, token = restricted_user(sim, "nb")
    assert_error(sim.post("/nodebalancers", token=token, json={"region": REGION}), 403)
    theirs = create_nb(sim, configs=[{"port": 80}])
    assert sim.get_all("/nodebalancers", token=token) == []
    assert_error(sim.get(f"/nodebalancers/{theirs['id']}", token=token), 403)
    put_grants(sim, username, **{"global": {"add_nodebalancers": True}},
               nodebalancer=[{"id": theirs["id"], "permissions": "read_only"}])
    assert sim.get(f"/nodebalancers/{theirs['id']}", token=token).status_code == 200
    assert len(sim.get_all(f"/nodebalancers/{theirs['id']}/configs", token=token)) == 1
    assert_error(sim.put(f"/nodebalancers/{theirs['id']}", token=token, json={}), 403)
    assert_error(sim.post(f"/nodebalancers/{theirs['id']}/configs", token=token,
                          json={"port": 81}), 403)
    seen = sim.get_all("/account/events", token=token, filter={"entity.type": "nodebalancer"})
    assert {e["entity"]["id"] for e in seen} == {theirs["id"]}
    made = sim.post("/nodebalancers", token=token, json={"region": REGION})
    assert made.status_code == 200, made.text
    grants = sim.get(f"/account/users/{username}/grants").json()
    assert {"id": made.json()["id"], "label": made.json()["label"],
            "permissions": "read_write"} in grants["nodebalancer"]
