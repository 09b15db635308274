"""Kernels catalog: GET /linode/kernels and /linode/kernels/{id} (ids contain a slash).
Responses are compared with data/catalog/kernels.json."""
import pytest

from support import assert_error, assert_list, load_catalog

KERNELS = load_catalog("kernels")
BY_ID = {k["id"]: k for k in KERNELS}


def test_list_is_the_catalog_in_file_order(server):
    r = server.get("/linode/kernels", token=None)
    assert_list(r, results=len(KERNELS))
    assert server.get_all("/linode/kernels", token=None) == KERNELS


@pytest.mark.parametrize("kid", ["linode/latest-64bit", "linode/grub2", KERNELS[-1]["id"]])
def test_get_kernel_with_raw_slash(server, kid):
    r = server.get(f"/linode/kernels/{kid}", token=None)
    assert r.status_code == 200 and r.json() == BY_ID[kid]


def test_get_kernel_with_encoded_slash(server):
    r = server.get("/linode/kernels/linode%2Flatest-64bit", token=None)
    assert r.status_code == 200 and r.json() == BY_ID["linode/latest-64bit"]


@pytest.mark.parametrize("kid", ["linode/nope", "latest-64bit", "linode/latest-64bit/x",
                                 "linode", "linode/LATEST-64BIT"])
def test_unknown_kernel_is_404(server, kid):
    assert_error(server.get(f"/linode/kernels/{kid}", token=None), 404)
