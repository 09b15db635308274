"""The 2016 alpha API (/v4/linodes, /v4/datacenters, /v4/services, /v4/distributions,
/v4/kernels): its ids, envelopes and objects, the mapping to the modern catalog, display labels
with spaces, X-Filter and scopes. Requests use the 2016 header `Authorization: token`."""
import json

import pytest

from support import ROOT_PASS, assert_error, wait_until

CREATE = {"datacenter": "datacenter_6", "service": "service_112", "source": "distro_140",
          "root_pass": ROOT_PASS}


def alpha(srv, method, path, token=None, **kw):
    headers = dict(kw.pop("headers", {}))
    headers["Authorization"] = f"token {token or srv.token}"
    return srv.request(method, path, token=None, headers=headers, **kw)


def create(srv, **fields):
    body = dict(CREATE, **fields)
    r = alpha(srv, "POST", "/linodes", json=body)
    assert r.status_code == 200, r.text
    assert list(r.json()) == ["linode"]
    return r.json()["linode"]


def wait_state(srv, linode_id, state, timeout=15):
    return wait_until(lambda: (lambda l: l if l["state"] == state else None)(
        alpha(srv, "GET", f"/linodes/{linode_id}").json()), timeout=timeout, what=state)


# --- the catalog ----------------------------------------------------------------------------------

def test_datacenters_are_2016s_with_their_regions(server):
    r = server.get("/datacenters", token=None)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"datacenters", "page", "total_pages", "total_results"}
    ids = {d["id"]: (d["label"], d["region"]) for d in body["datacenters"]}
    assert [d["id"] for d in body["datacenters"]] == [
        f"datacenter_{n}" for n in (2, 3, 4, 6, 7, 8, 9, 10)]
    assert ids["datacenter_6"] == ("Newark, NJ", "us-east")
    for _, region in ids.values():
        assert server.get(f"/regions/{region}").status_code == 200, region
    one = server.get("/datacenters/datacenter_6", token=None).json()
    assert one == {"id": "datacenter_6", "label": "Newark, NJ", "datacenter": "newark",
                   "region": "us-east"}


def test_services_map_to_types(server):
    services = server.get("/services").json()["services"]
    s112 = next(s for s in services if s["id"] == "service_112")
    assert s112["label"] == "Linode 1024" and s112["ram"] == 1024 and s112["type"] == "g6-nanode-1"
    for s in services:
        if s["service_type"] == "linode":
            assert server.get(f"/linode/types/{s['type']}").status_code == 200, s
    assert server.get("/services/service_112").json() == s112


def test_distributions_map_to_images(server):
    distros = server.get("/distributions").json()["distributions"]
    by_label = {d["label"]: d for d in distros}
    assert by_label["Debian 8.1"]["id"] == "distro_140"
    assert by_label["Debian 8.1"]["image"] == "linode/debian12"
    assert "Ubuntu 14.04" in by_label
    for d in distros:
        assert server.get(f"/images/{d['image']}").status_code == 200, d
    recommended = server.get("/distributions/recommended").json()
    assert recommended["distributions"] and all(d["recommended"]
                                                for d in recommended["distributions"])
    assert server.get("/distributions/distro_140").json() == by_label["Debian 8.1"]


def test_kernels_in_the_2016_envelope(server):
    body = server.get("/kernels").json()
    assert set(body) == {"kernels", "page", "total_pages", "total_results"}
    assert body["kernels"] and all("x64" in k for k in body["kernels"])


@pytest.mark.parametrize("path", ["/datacenters/datacenter_5", "/services/service_1",
                                  "/distributions/distro_1", "/datacenters/newark"])
def test_unknown_catalog_ids_are_404(server, path):
    assert_error(server.get(path), 404)


def test_x_filter_on_the_catalog(server):
    r = server.get("/services", filter={"label": "Linode 1024"})
    assert [s["id"] for s in r.json()["services"]] == ["service_112"]
    r = server.get("/datacenters", filter={"label": {"+contains": "newark"}})
    assert [d["id"] for d in r.json()["datacenters"]] == ["datacenter_6"]
    r = server.get("/services", filter={"ram": {"+gte": 4096}, "+order_by": "ram",
                                        "+order": "desc"})
    rams = [s["ram"] for s in r.json()["services"]]
    assert rams == sorted(rams, reverse=True) and min(rams) >= 4096
    assert_error(server.get("/services", filter={"hourly_price": 1}), 400, field="X-Filter")


# --- Linodes ------------------------------------------------------------------------------------

def test_create_is_wrapped_and_left_for_boot(instant):
    linode = create(instant)
    assert linode["id"].startswith("linode_")
    assert linode["state"] == "provisioning"
    assert linode["datacenter"]["id"] == "datacenter_6"
    assert linode["distribution"]["id"] == "distro_140"
    assert linode["services"]["linode"]["id"] == "service_112"
    ips = linode["ip_addresses"]
    assert len(ips["public"]["ipv4"]) == 1 and ips["public"]["failover"] == []
    assert ips["public"]["ipv6"] and ips["private"]["link_local"].startswith("fe80::")
    assert ips["private"]["ipv4"] == []
    for field in ("label", "group", "created", "updated"):
        assert field in linode
    # Not booted: the create job ends offline.
    settled = wait_state(instant, linode["id"], "offline")
    assert "linode" not in settled  # a single GET answers the plain object


def test_a_2016_create_takes_no_backups_by_the_accounts_default(instant):
    # The 2016 API had no account-wide backups default: its creates are not enrolled by it.
    assert instant.put("/account/settings", json={"backups_enabled": True}).status_code == 200
    try:
        linode = create(instant)
    finally:
        assert instant.put("/account/settings", json={"backups_enabled": False}).status_code == 200
    modern = instant.get(f"/linode/instances/{linode['id'][7:]}").json()
    assert modern["backups"]["enabled"] is False


def test_boot_right_after_create_runs(sim):
    linode = create(sim)
    r = alpha(sim, "POST", f"/linodes/{linode['id']}/boot")
    assert r.status_code == 200 and r.json() == {}
    wait_state(sim, linode["id"], "running")


def test_shutdown_reboot_and_delete(instant):
    linode = create(instant)
    wait_state(instant, linode["id"], "offline")
    assert alpha(instant, "POST", f"/linodes/{linode['id']}/boot").json() == {}
    wait_state(instant, linode["id"], "running")
    assert alpha(instant, "POST", f"/linodes/{linode['id']}/reboot").json() == {}
    wait_state(instant, linode["id"], "running")
    assert alpha(instant, "POST", f"/linodes/{linode['id']}/shutdown").json() == {}
    wait_state(instant, linode["id"], "offline")
    assert alpha(instant, "DELETE", f"/linodes/{linode['id']}").json() == {}
    wait_until(lambda: alpha(instant, "GET", f"/linodes/{linode['id']}").status_code == 404,
               what="deleted")


def test_label_with_spaces_saves_and_reads_fitted_in_the_modern_api(instant):
    linode = create(instant)
    r = alpha(instant, "PUT", f"/linodes/{linode['id']}",
              json={"label": "My Awesome Linode", "group": "web"})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == "My Awesome Linode" and r.json()["group"] == "web"
    assert alpha(instant, "GET", f"/linodes/{linode['id']}").json()["label"] == \
        "My Awesome Linode"
    modern = instant.get(f"/linode/instances/{linode['id'][7:]}").json()
    assert modern["label"].startswith("My-Awesome-Linode")
    # A second one with the same label: the modern label stays unique.
    other = create(instant, label="My Awesome Linode")
    assert other["label"] == "My Awesome Linode"
    modern2 = instant.get(f"/linode/instances/{other['id'][7:]}").json()
    assert modern2["label"] != modern["label"] and modern2["label"].startswith("My-Awesome-Linode")
    # A modern rename takes over the label on both sides.
    new = "renamed-" + other["id"]
    r = instant.put(f"/linode/instances/{other['id'][7:]}", json={"label": new})
    assert r.status_code == 200, r.text
    assert alpha(instant, "GET", f"/linodes/{other['id']}").json()["label"] == new
    # The modern API keeps its own rule.
    assert_error(instant.put(f"/linode/instances/{other['id'][7:]}",
                             json={"label": "has spaces"}), 400, field="label")


def test_alpha_label_rule(instant):
    linode = create(instant)
    for bad in ("ab", "x" * 65, "tab\there"):
        assert_error(alpha(instant, "PUT", f"/linodes/{linode['id']}", json={"label": bad}), 400,
                     field="label")


def test_list_envelope_and_x_filter(instant):
    label = f"Filter Me {id(instant)}"
    linode = create(instant, label=label, group="alpha-group")
    r = alpha(instant, "GET", "/linodes")
    body = r.json()
    assert set(body) == {"linodes", "page", "total_pages", "total_results"}
    assert linode["id"] in [l["id"] for l in body["linodes"]]
    r = alpha(instant, "GET", "/linodes", headers={"X-Filter": json.dumps({"label": label})})
    assert [l["id"] for l in r.json()["linodes"]] == [linode["id"]]
    r = alpha(instant, "GET", "/linodes",
              headers={"X-Filter": json.dumps({"label": {"+contains": "filter me"}})})
    assert linode["id"] in [l["id"] for l in r.json()["linodes"]]
    r = alpha(instant, "GET", "/linodes", headers={"X-Filter": json.dumps({"group": "alpha-group"})})
    assert [l["id"] for l in r.json()["linodes"]] == [linode["id"]]
    assert_error(alpha(instant, "GET", "/linodes", headers={"X-Filter": '{"root_pass": "x"}'}),
                 400, field="X-Filter")


def test_create_errors_use_2016_names(instant):
    r = alpha(instant, "POST", "/linodes", json={"datacenter": "datacenter_5",
                                                 "service": "service_129", "source": "distro_1",
                                                 "root_pass": ROOT_PASS})
    errors = assert_error(r, 400)
    assert {e.get("field") for e in errors} == {"datacenter", "service", "source"}
    assert_error(alpha(instant, "POST", "/linodes", json={"datacenter": "datacenter_6"}), 400,
                 field="service")
    assert_error(alpha(instant, "POST", "/linodes", json=dict(CREATE, root_pass="short")), 400,
                 field="root_pass")


def test_unknown_linodes_are_404(instant):
    for lid in ("linode_999999", "linode_x", "dnszone_1"):
        assert_error(alpha(instant, "GET", f"/linodes/{lid}"), 404)


def test_bearer_and_token_headers_both_work(instant):
    linode = create(instant)
    assert instant.get(f"/linodes/{linode['id']}").status_code == 200  # Bearer


def test_scopes(instant):
    ro = instant.make_token("linodes:read_only")
    other = instant.make_token("events:read_only")
    assert alpha(instant, "GET", "/linodes", token=ro).status_code == 200
    assert_error(alpha(instant, "POST", "/linodes", token=ro, json=CREATE), 401)
    assert_error(alpha(instant, "GET", "/linodes", token=other), 401)
    assert_error(instant.get("/linodes", token=None), 401)
    assert instant.get("/datacenters", token=None).status_code == 200
