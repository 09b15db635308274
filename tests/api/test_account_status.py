"""What Cloud Manager reads on every page and beside every Linode: preferences (a user's own JSON
object, replaced by each PUT), notifications and maintenance (empty: nothing raises them yet),
network transfer (the pool the account's plans bring), a Linode's volumes and firewalls (empty)
and its statistics (no samples yet)."""
import pytest

from support import assert_error, create_from_image, make_user, unique_username


def test_preferences_are_kept_per_user_and_replaced_whole(server):
    assert server.get("/profile/preferences").status_code == 200
    prefs = {"theme": "dark", "sortKeys": {"linodes": {"order": "asc"}}, "n": 1.5, "list": [1, None]}
    r = server.put("/profile/preferences", json=prefs)
    assert r.status_code == 200 and r.json() == prefs
    assert server.get("/profile/preferences").json() == prefs
    r = server.put("/profile/preferences", json={"theme": "light"})
    assert server.get("/profile/preferences").json() == {"theme": "light"}
    other = server.make_token("*", user=unique_username("pref"))
    r = server.get("/profile/preferences", token=other)
    assert r.status_code == 200 and r.json() == {}


@pytest.mark.parametrize("body", ["[]", "1", "\"dark\"", "null", "{\"a\":"])
def test_preferences_are_an_object(server, body):
    before = server.get("/profile/preferences").json()
    r = server.request("PUT", "/profile/preferences", data=body,
                       headers={"Content-Type": "application/json"})
    assert_error(r, 400)
    assert server.get("/profile/preferences").json() == before


def test_preferences_scopes(server):
    read = server.make_token("account:read_only")
    assert server.get("/profile/preferences", token=read).status_code == 200
    assert_error(server.put("/profile/preferences", token=read, json={}), 401)
    assert_error(server.get("/profile/preferences", token=server.make_token("linodes:read_only")),
                 401)


@pytest.mark.parametrize("path", ["/account/notifications", "/account/maintenance"])
def test_nothing_is_raised_yet(server, path):
    page = server.get(path).json()
    assert page == {"data": [], "page": 1, "pages": 1, "results": 0}
    assert_error(server.get(path, headers={"X-Filter": "not json"}), 400)
    assert_error(server.get(path + "?page=0"), 400)


def test_transfer_pool_follows_the_plans(instant):
    before = instant.get("/account/transfer").json()
    assert set(before) == {"quota", "used", "billable", "region_transfers"}
    linode = create_from_image(instant, region="eu-west", type="g6-standard-1")
    plan = instant.get("/linode/types/g6-standard-1").json()
    after = instant.get("/account/transfer").json()
    assert after["quota"] == before["quota"] + plan["transfer"]
    assert after["used"] == 0 and after["billable"] == 0
    regions = {r["id"]: r for r in after["region_transfers"]}
    assert regions["eu-west"]["quota"] >= plan["transfer"]
    assert sum(r["quota"] for r in after["region_transfers"]) == after["quota"]
    assert instant.delete(f"/linode/instances/{linode['id']}").status_code == 200


def test_a_linodes_volumes_firewalls_and_stats(instant):
    linode = create_from_image(instant)
    base = f"/linode/instances/{linode['id']}"
    for part in ("volumes", "firewalls"):
        assert instant.get(f"{base}/{part}").json()["data"] == []
        assert_error(instant.get(f"/linode/instances/99999999/{part}"), 404)
    stats = instant.get(f"{base}/stats").json()
    assert set(stats["io"]) == {"io", "swap"}
    for series in (stats["cpu"], stats["io"]["io"], stats["netv4"]["in"]):
        assert all(len(point) == 2 and point[1] >= 0 for point in series)
    assert len(stats["cpu"]) == len(stats["io"]["io"]) <= 1
    assert set(stats["netv4"]) == {"in", "out", "private_in", "private_out"}
    assert linode["label"] in stats["title"]
    assert_error(instant.get("/linode/instances/99999999/stats"), 404)


def test_a_user_who_trusts_no_device(server):
    assert server.get("/profile/devices").json()["data"] == []
    assert_error(server.get("/profile/devices/1"), 404)
    assert_error(server.delete("/profile/devices/1"), 404)
    assert_error(server.get("/profile/devices", token=server.make_token("linodes:read_only")), 401)
