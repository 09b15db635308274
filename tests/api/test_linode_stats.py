"""A Linode's statistics and network transfer (/stats, /stats/{year}/{month}, /transfer,
/transfer/{year}/{month}). On the sim driver they are generated: plausible values from the
Linode's creation on, the same on every read. (A qemu Linode's come from its host's counters:
tests/e2e.)"""
import time

import pytest

from support import assert_error, create_from_image


def series_ok(points, low=0.0, high=None):
    assert points, "a series with no point"
    times = [p[0] for p in points]
    assert times == sorted(times) and len(set(times)) == len(times)
    for at, value in points:
        assert isinstance(at, int) and at % 1000 == 0
        assert value >= low and (high is None or value <= high), (at, value)


def test_day_stats_of_a_new_linode(instant):
    linode = create_from_image(instant, wait=None)
    r = instant.get(f"/linode/instances/{linode['id']}/stats")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) == {"cpu", "io", "netv4", "netv6", "title"}
    assert doc["title"] == f"linode.com - {linode['label']} (linode{linode['id']}) - day (5 min avg)"
    series_ok(doc["cpu"], high=100 * linode["specs"]["vcpus"])
    series_ok(doc["io"]["io"])
    series_ok(doc["io"]["swap"])
    for family in ("netv4", "netv6"):
        assert set(doc[family]) == {"in", "out", "private_in", "private_out"}
    series_ok(doc["netv4"]["in"])
    series_ok(doc["netv4"]["out"])
    # From its creation on: its first step is the one under way when it was created.
    created = time.mktime(time.strptime(linode["created"], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert doc["cpu"][0][0] // 1000 <= created < doc["cpu"][0][0] // 1000 + 300
    assert len(doc["cpu"]) <= 2
    # Generated, yet the same on every read.
    assert instant.get(f"/linode/instances/{linode['id']}/stats").json()["cpu"] == doc["cpu"]


def test_month_stats_and_their_bounds(instant):
    linode = create_from_image(instant, wait=None)
    now = time.gmtime()
    base = f"/linode/instances/{linode['id']}/stats"
    r = instant.get(f"{base}/{now.tm_year}/{now.tm_mon}")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["title"].endswith("month (1 hour avg)")
    series_ok(doc["cpu"])
    # Hourly steps.
    assert all(p[0] % 3_600_000 == 0 for p in doc["cpu"])
    # Before the Linode existed: nothing.
    old = instant.get(f"{base}/2020/1").json()
    assert old["cpu"] == [] and old["netv4"]["in"] == []
    assert_error(instant.get(f"{base}/{now.tm_year + 1}/{now.tm_mon}"), 400, field="month")
    assert_error(instant.get(f"{base}/1999/5"), 400, field="year")
    assert_error(instant.get(f"{base}/2024/13"), 400, field="month")
    assert_error(instant.get(f"{base}/2024/0"), 400, field="month")
    assert_error(instant.get(f"{base}/twenty/5"), 400, field="year")
    assert_error(instant.get(f"/linode/instances/99999999/stats/2024/5"), 404)


def test_transfer_counts_what_the_linode_sent(instant):
    linode = create_from_image(instant, wait=None)
    now = time.gmtime()
    for _ in range(3):
        used = instant.get(f"/linode/instances/{linode['id']}/transfer").json()
        month = instant.get(
            f"/linode/instances/{linode['id']}/transfer/{now.tm_year}/{now.tm_mon}").json()
        if used["used"] == month["bytes_out"]:  # both read within one five-minute step
            break
    assert used == {"billable": 0, "quota": linode["specs"]["transfer"], "used": month["bytes_out"]}
    assert month["bytes_out"] > 0 and month["bytes_in"] > 0
    assert month["bytes_total"] == month["bytes_in"] + month["bytes_out"]
    assert instant.get(f"/linode/instances/{linode['id']}/transfer/2020/1").json() == {
        "bytes_in": 0, "bytes_out": 0, "bytes_total": 0}
    assert_error(instant.get(f"/linode/instances/{linode['id']}/transfer/2040/1"), 400)


@pytest.mark.parametrize("path", ["stats", "stats/2024/5", "transfer", "transfer/2024/5"])
def test_a_restricted_user_reads_only_granted_linodes(instant, path):
    from support import restricted_user
    linode = create_from_image(instant, wait=None)
    _, token = restricted_user(instant, "stats")
    r = instant.get(f"/linode/instances/{linode['id']}/{path}", token=token)
    assert r.status_code in (403, 404), r.text
