"""Linode types catalog: GET /linode/types and /linode/types/{id}.
Responses are compared with data/catalog/types.json (including float prices)."""
import pytest

from support import assert_error, assert_list, load_catalog

TYPES = load_catalog("types")


def test_list_is_the_catalog_in_file_order(server):
    data = assert_list(server.get("/linode/types", token=None), results=len(TYPES))
    assert data == TYPES


def test_nanode_keeps_float_prices(server):
    r = server.get("/linode/types/g6-nanode-1", token=None)
    assert r.status_code == 200
    body = r.json()
    assert body == next(t for t in TYPES if t["id"] == "g6-nanode-1")
    assert body["price"]["hourly"] == 0.0075 and body["class"] == "nanode"
    assert "0.0075" in r.text


def test_every_type_by_id(server):
    for t in TYPES:
        r = server.get(f"/linode/types/{t['id']}", token=None)
        assert r.status_code == 200 and r.json() == t, t["id"]


@pytest.mark.parametrize("tid", ["g6-fake-plan", "G6-NANODE-1", "g6-nanode-1x", "1"])
def test_unknown_type_is_404(server, tid):
    assert_error(server.get(f"/linode/types/{tid}", token=None), 404)
