"""/network-transfer/prices: the catalog's prices of transfer past the pool, open to anyone."""
import requests

from support import assert_list


def test_transfer_prices(server):
    r = requests.get(server.base_url + "/network-transfer/prices", timeout=10)
    prices = {p["id"]: p for p in assert_list(r, 2)}
    assert set(prices) == {"distributed_network_transfer", "network_transfer"}
    core = prices["network_transfer"]
    assert set(core) == {"id", "label", "price", "region_prices", "transfer"}
    assert core["price"] == {"hourly": 0.005, "monthly": None}
    assert {p["id"]: p["hourly"] for p in core["region_prices"]} == {"id-cgk": 0.015,
                                                                      "br-gru": 0.007}
