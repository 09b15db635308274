"""Regions catalog: GET /regions, /regions/{id}, /regions/availability, /regions/{id}/availability.
Responses are compared with data/catalog/regions.json and availability.json."""
import pytest

from support import assert_error, assert_list, load_catalog

REGIONS = load_catalog("regions")
AVAIL = load_catalog("availability")


def test_list_is_the_catalog_in_file_order(server):
    r = server.get("/regions", token=None)
    data = assert_list(r, results=len(REGIONS))
    assert r.json()["page"] == 1 and r.json()["pages"] == 1
    assert data == REGIONS


def test_list_with_token_is_the_same(server):
    assert server.get("/regions").json()["data"] == REGIONS


def test_us_east_is_a_core_region_for_linodes_and_firewalls(server):
    r = server.get("/regions/us-east", token=None)
    assert r.status_code == 200
    body = r.json()
    assert body == next(x for x in REGIONS if x["id"] == "us-east")
    assert body["site_type"] == "core"
    assert {"Linodes", "Cloud Firewall"} <= set(body["capabilities"])


@pytest.mark.parametrize("region", [REGIONS[0], REGIONS[-1], REGIONS[len(REGIONS) // 2]],
                         ids=lambda x: x["id"])
def test_get_one_matches_file(server, region):
    assert server.get(f"/regions/{region['id']}", token=None).json() == region


@pytest.mark.parametrize("rid", ["nope", "US-EAST", "us-east-", "%20", "us-east%00"])
def test_unknown_region_is_404(server, rid):
    assert_error(server.get(f"/regions/{rid}", token=None), 404)


def test_availability_is_paginated_and_complete(server):
    r = server.get("/regions/availability", token=None)
    data = assert_list(r, results=len(AVAIL))
    assert len(data) == 100 and r.json()["pages"] == -(-len(AVAIL) // 100)
    assert all(set(x) == {"region", "plan", "available"} for x in data)
    assert server.get_all("/regions/availability", token=None) == AVAIL


def test_region_availability_is_a_plain_array(server):
    r = server.get("/regions/us-east/availability", token=None)
    assert r.status_code == 200
    assert r.json() == [x for x in AVAIL if x["region"] == "us-east"]
    assert len(r.json()) > 0


def test_region_without_availability_rows_gives_empty_array(server):
    rid = next(x["id"] for x in REGIONS if x["id"] not in {a["region"] for a in AVAIL})
    r = server.get(f"/regions/{rid}/availability", token=None)
    assert r.status_code == 200 and r.json() == []


def test_availability_of_unknown_region_is_404(server):
    assert_error(server.get("/regions/nope/availability", token=None), 404)


def test_vpc_availability_follows_capabilities(server):
    """/regions/vpc-availability (Linode's shape): a region is available for VPCs when its
    capabilities name them; Linnet offers no IPv6 prefix lengths."""
    regions = load_catalog("regions")
    r = server.get("/regions/vpc-availability", token=None, params={"page_size": 500})
    assert_list(r, results=len(regions))
    got = {a["region"]: a for a in r.json()["data"]}
    assert [a["region"] for a in r.json()["data"]] == [x["id"] for x in regions]
    for region in regions:
        assert got[region["id"]] == {"region": region["id"],
                                     "available": "VPCs" in region["capabilities"],
                                     "available_ipv6_prefix_lengths": []}
    assert server.get("/regions/us-iad/vpc-availability").json()["available"] is True
    assert server.get("/regions/us-east/vpc-availability").json()["available"] is False
    assert_error(server.get("/regions/xx-nowhere/vpc-availability"), 404)
    r = server.get("/regions/vpc-availability", filter={"region": "us-iad"})
    assert [a["region"] for a in r.json()["data"]] == ["us-iad"]
