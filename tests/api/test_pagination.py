"""Pagination of lists: {data,page,pages,results}, page/page_size bounds and validation,
stable order across pages, pages beyond the end, empty lists, unknown query parameters."""
import pytest

from support import assert_error, assert_list, load_catalog

KERNELS = load_catalog("kernels")
TYPES = load_catalog("types")


def page(server, path, **params):
    return server.get(path, params=params, token=None)


def test_default_page_size_is_100(server):
    body = page(server, "/linode/kernels").json()
    assert (body["page"], body["pages"], body["results"]) == (1, 4, len(KERNELS))
    assert len(body["data"]) == 100


def test_paging_by_25_visits_every_kernel_once(server):
    pages = -(-len(KERNELS) // 25)
    seen = []
    for n in range(1, pages + 1):
        body = page(server, "/linode/kernels", page=n, page_size=25).json()
        assert (body["page"], body["pages"], body["results"]) == (n, pages, len(KERNELS))
        assert len(body["data"]) == (25 if n < pages else len(KERNELS) - 25 * (pages - 1))
        seen += [k["id"] for k in body["data"]]
    assert sorted(seen) == sorted(k["id"] for k in KERNELS)
    assert len(seen) == len(set(seen))


def test_same_page_twice_is_identical(server):
    a = page(server, "/linode/kernels", page=3, page_size=25)
    b = page(server, "/linode/kernels", page=3, page_size=25)
    assert a.json() == b.json()


def test_page_size_500_returns_everything(server):
    body = page(server, "/linode/kernels", page_size=500).json()
    assert body["pages"] == 1 and len(body["data"]) == len(KERNELS)


def test_last_partial_page(server):
    body = page(server, "/linode/types", page=2, page_size=25).json()
    assert body["pages"] == 2 and body["data"] == TYPES[25:]


def test_page_beyond_the_last_is_empty(server):
    body = page(server, "/linode/types", page=99, page_size=25).json()
    assert body["data"] == [] and body["results"] == len(TYPES) and body["pages"] == 2


def test_empty_list_has_one_page(server):
    r = server.get("/regions", token=None, filter={"country": "zz"})
    assert r.json() == {"data": [], "page": 1, "pages": 1, "results": 0}


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "", "1e2"])
def test_bad_page_is_400(server, value):
    assert_error(page(server, "/linode/kernels", page=value), 400, field="page")


def test_page_past_every_offset_is_the_last_possible_page(server):
    # The spec: "If the value of page exceeds 2^64/page_size, the last possible page will be
    # returned."
    body = page(server, "/linode/kernels", page="99999999999999999999", page_size=500).json()
    assert body["data"] == [] and body["page"] == (2**63 - 1) // 500


@pytest.mark.parametrize("value", ["24", "501", "0", "-25", "abc", "25.0", "", "100000000000000000000"])
def test_bad_page_size_is_400(server, value):
    assert_error(page(server, "/linode/kernels", page_size=value), 400, field="page_size")


@pytest.mark.parametrize("path", ["/regions", "/regions/availability", "/linode/types",
                                  "/images", "/profile/tokens"])
def test_bad_paging_on_every_list(server, path):
    assert_error(server.get(path, params={"page_size": 10}), 400, field="page_size")
    assert_error(server.get(path, params={"page": 0}), 400, field="page")


@pytest.mark.parametrize("path", ["/regions/us-east", "/linode/types/g6-nanode-1",
                                  "/linode/kernels/linode/latest-64bit", "/images/linode/debian12",
                                  "/profile", "/account", "/account/settings",
                                  "/regions/us-east/availability"])
def test_unknown_and_paging_params_on_single_objects_are_ignored(server, path):
    plain = server.get(path)
    r = server.get(path, params={"page": 1, "page_size": 100, "foo": "bar"})
    assert r.status_code == 200 and r.json() == plain.json()


def test_unknown_params_on_lists_are_ignored(server):
    r = server.get("/linode/types", params={"foo": "bar", "page_size": 25, "x": ""})
    assert assert_list(r) == TYPES[:25]
