"""GET/PUT /account (contact fields) and /account/settings (booleans, enums, read-only fields),
with 400 naming the field for bad values."""
import pytest

from support import assert_error

CONTACT = {"company": "Linnet Ltd", "email": "billing@example.com", "first_name": "Ada",
           "last_name": "Lovelace", "address_1": "1 Main St", "address_2": "Suite 2",
           "city": "Philadelphia", "state": "PA", "zip": "19106", "country": "US",
           "phone": "+1 215 555 0100", "tax_id": "TAX-1"}
INTERFACES = ["legacy_config_only", "legacy_config_default_but_linode_allowed",
              "linode_default_but_legacy_config_allowed", "linode_only"]


@pytest.fixture
def account(server):
    before = server.get("/account").json()
    yield before
    restore = {k: before[k] for k in CONTACT if k != "email" or before[k]}
    assert server.put("/account", json=restore).status_code == 200


@pytest.fixture
def settings(server):
    before = server.get("/account/settings").json()
    yield before
    keys = ("network_helper", "backups_enabled", "interfaces_for_new_linodes", "maintenance_policy")
    assert server.put("/account/settings", json={k: before[k] for k in keys}).status_code == 200


def test_get_account_shape(server):
    body = server.get("/account").json()
    assert set(CONTACT) | {"euuid", "balance", "capabilities", "active_since"} <= set(body)
    assert {"Linodes", "Cloud Firewall"} <= set(body["capabilities"])


def test_put_contact_fields(server, account):
    r = server.put("/account", json=CONTACT)
    assert r.status_code == 200, r.text
    got = server.get("/account").json()
    for k, v in CONTACT.items():
        assert r.json()[k] == v and got[k] == v, k
    assert got["euuid"] == account["euuid"]


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("email", "a@"), ("email", 5),
    ("country", "USA"), ("country", "U"), ("country", 1),
    ("company", 5), ("first_name", ["x"]), ("zip", {"z": 1}), ("phone", True),
])
def test_bad_contact_value(server, account, field, value):
    assert_error(server.put("/account", json={field: value}), 400, field=field)
    assert server.get("/account").json() == account


def test_get_settings_shape(server):
    body = server.get("/account/settings").json()
    assert {"network_helper", "backups_enabled", "interfaces_for_new_linodes", "maintenance_policy",
            "managed", "longview_subscription", "object_storage"} <= set(body)
    assert body["interfaces_for_new_linodes"] in INTERFACES


def test_put_settings(server, settings):
    change = {"network_helper": not settings["network_helper"],
              "backups_enabled": not settings["backups_enabled"],
              "maintenance_policy": "linode/power_off_on"}
    r = server.put("/account/settings", json=change)
    assert r.status_code == 200, r.text
    for k, v in change.items():
        assert r.json()[k] == v and server.get("/account/settings").json()[k] == v, k


@pytest.mark.parametrize("value", INTERFACES)
def test_every_interfaces_setting(server, settings, value):
    r = server.put("/account/settings", json={"interfaces_for_new_linodes": value})
    assert r.status_code == 200 and r.json()["interfaces_for_new_linodes"] == value


@pytest.mark.parametrize("field,value", [
    ("network_helper", "yes"), ("network_helper", 1), ("backups_enabled", None),
    ("interfaces_for_new_linodes", "foo"), ("interfaces_for_new_linodes", 1),
    ("maintenance_policy", "linode/reboot"), ("maintenance_policy", ""),
    ("managed", True), ("longview_subscription", "longview-3"), ("object_storage", "active"),
])
def test_bad_settings_value(server, settings, field, value):
    assert_error(server.put("/account/settings", json={field: value}), 400, field=field)
    assert server.get("/account/settings").json() == settings


def test_writes_need_account_read_write(server, settings):
    tok = server.make_token("account:read_only")
    assert server.get("/account/settings", token=tok).status_code == 200
    r = server.put("/account/settings", token=tok, json={"network_helper": False})
    assert_error(r, 401)
    assert r.headers.get("X-Accepted-OAuth-Scopes") == "account:read_write"
