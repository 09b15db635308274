"""What Cloud Manager reads on every page and beside every Linode: preferences (a user's own JSON
object, replaced by each PUT), notifications and maintenance (empty: nothing raises them yet),
network transfer (the pools the account's plans bring), a Linode's volumes and firewalls (empty)
and its statistics (no samples yet)."""
import calendar
import math
import time

import pytest

from support import (Caller, assert_error, create_account, create_from_image, make_user,
                     unique_username)


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
    """A Linode brings its plan's transfer to the pool for the share of the month left (hours
    begun); regions that price transfer on their own (br-gru) have a pool of their own."""
    me = Caller(instant, create_account(instant.data_dir, unique_username("pool")))
    before = me.get("/account/transfer").json()
    assert before == {"quota": 0, "used": 0, "billable": 0, "region_transfers": []}
    linode = create_from_image(me, region="eu-west", type="g6-standard-1")
    other = create_from_image(me, region="br-gru", type="g6-nanode-1")
    now = time.time()
    year, month = time.gmtime(now)[:2]
    start = calendar.timegm((year, month, 1, 0, 0, 0))
    end = calendar.timegm((year + month // 12, month % 12 + 1, 1, 0, 0, 0))
    left = math.ceil((end - now) / 3600)
    month_hours = (end - start) // 3600
    after = me.get("/account/transfer").json()
    # (the hour may turn between the creates and the reading)
    assert after["quota"] in (2000 * left // month_hours, 2000 * (left + 1) // month_hours)
    assert after["used"] >= 0 and after["billable"] == 0
    [gru] = after["region_transfers"]
    assert gru["id"] == "br-gru" and gru["billable"] == 0
    assert gru["quota"] in (1000 * left // month_hours, 1000 * (left + 1) // month_hours)
    for lid in (linode["id"], other["id"]):
        assert me.delete(f"/linode/instances/{lid}").status_code == 200


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
