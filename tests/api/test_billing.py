"""Billing from what ran: Linodes (and their backups), volumes and NodeBalancers are billed by the
hour begun at the catalog's prices (a region's own where it has them), each at most its monthly
price in a month; invoices close at each month's end (or now, with `linnetd billing close-month`).

The month test moves a server's clock (LINNET_TEST_CLOCK=1 opens POST /linnet-test/clock) through
January and February 2027 and checks every invoice item against prices worked out by hand."""
import calendar
import time

import pytest

from support import (Caller, account_user, assert_error, create_account, create_linode, linnetd,
                     unique_label, unique_username, wait_gone, wait_status, wait_until)

HOUR = 3600
# Thirty seconds past the half hour: every change below happens that far into an hour, so that
# the seconds a request takes never begin another hour.
T0 = calendar.timegm((2027, 1, 10, 0, 30, 0))
FEB = calendar.timegm((2027, 2, 1, 0, 30, 0))
MAR = calendar.timegm((2027, 3, 1, 0, 30, 0))


def server_now(srv):
    r = srv.post(srv.root + "/linnet-test/clock", json={"advance": 0}, token=None)
    assert r.status_code == 200, r.text
    return calendar.timegm(time.strptime(r.json()["now"], "%Y-%m-%dT%H:%M:%S"))


def move_clock_to(srv, when):
    r = srv.post(srv.root + "/linnet-test/clock", json={"advance": when - server_now(srv)},
                 token=None)
    assert r.status_code == 200, r.text
    assert abs(server_now(srv) - when) <= 2


def cents(dollars):
    return round(dollars * 100)


def items_of(srv, invoice):
    r = srv.get(f"/account/invoices/{invoice['id']}/items")
    assert r.status_code == 200, r.text
    return {i["label"].split(" - ")[0] + ":" + (i["region"] or ""): i for i in r.json()["data"]}


def expect_item(items, key, unit_price, quantity, amount):
    item = items[key]
    assert item["type"] == "hourly" and item["unit_price"] == unit_price, item
    assert item["quantity"] == quantity, item
    assert cents(item["amount"]) == cents(amount) and cents(item["total"]) == cents(amount), item
    assert item["tax"] == 0


@pytest.fixture
def clocked(spawn):
    return spawn(token_scopes="*", env={"LINNET_SIM_SCALE": "0", "LINNET_TEST_CLOCK": "1"})


def test_two_months_of_use_invoiced_at_the_catalogs_prices(clocked):
    srv = clocked
    out = linnetd(["promo", "add", "TENOFF", "--credit", "10.00"], srv.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert srv.post("/account/promo-codes", json={"promo_code": "TENOFF"}).status_code == 200

    move_clock_to(srv, T0)
    a = create_linode(srv, wait="offline", type="g6-nanode-1", region="us-east")
    b = create_linode(srv, wait="offline", type="g6-standard-1", region="us-east")
    c = create_linode(srv, wait="offline", type="g6-nanode-1", region="br-gru",
                      backups_enabled=True)
    r = srv.post("/volumes", json={"label": unique_label("v"), "size": 20, "region": "us-east"})
    assert r.status_code == 200, r.text
    r = srv.post("/nodebalancers", json={"label": unique_label("nb"), "region": "us-east"})
    assert r.status_code == 200, r.text

    # The pools of the month, prorated from now to its end (527.5 hours begun: 528 of 744):
    # nanode 1000 GB and standard-1 2000 GB in the global pool, br-gru's nanode in its own.
    transfer = srv.get("/account/transfer").json()
    assert transfer["quota"] == 528 * 3000 // 744
    assert transfer["region_transfers"] == [
        {"id": "br-gru", "quota": 528 * 1000 // 744, "used": 0, "billable": 0}]

    # Twelve hours on (less a minute): every service has begun its twelfth hour.
    move_clock_to(srv, T0 + 12 * HOUR - 60)
    hourly = [0.0075, 0.018, 0.0105, 0.004, 20 * 0.00015, 0.015]
    expected = sum(cents(12 * price) for price in hourly)
    assert cents(srv.get("/account").json()["balance_uninvoiced"]) == expected
    assert srv.delete(f"/linode/instances/{a['id']}").status_code == 200
    wait_gone(srv, a["id"])

    move_clock_to(srv, T0 + 24 * HOUR - 60)
    r = srv.post(f"/linode/instances/{b['id']}/resize", json={"type": "g6-standard-2"})
    assert r.status_code == 200, r.text
    wait_until(lambda: srv.get(f"/linode/instances/{b['id']}").json()["type"] == "g6-standard-2",
               what="the resize")
    wait_status(srv, b["id"], "offline")

    # February begins: January is invoiced.
    move_clock_to(srv, FEB)
    wait_until(lambda: srv.get("/account/invoices").json()["results"] == 1, timeout=20,
               what="January's invoice")
    january = srv.get("/account/invoices").json()["data"][0]
    assert january["date"] == "2027-02-01T00:00:00"
    assert january["label"] == f"Invoice #{january['id']}"
    assert january["billing_source"] == "linode" and january["tax"] == 0
    items = items_of(srv, january)
    assert len(items) == 7, items
    # From 00:30 on 10 January to 1 February: 527.5 hours, 528 begun.
    expect_item(items, "Nanode 1GB:us-east", "0.0075", 12, 0.09)
    expect_item(items, "Linode 2GB:us-east", "0.018", 24, 0.43)
    expect_item(items, "Linode 4GB:us-east", "0.036", 504, 18.14)
    expect_item(items, "Nanode 1GB:br-gru", "0.0105", 528, 5.54)
    expect_item(items, "Backup Service:br-gru", "0.004", 528, 2.11)
    expect_item(items, "Volume:us-east", "0.003", 528, 1.58)
    expect_item(items, "NodeBalancer:us-east", "0.015", 528, 7.92)
    assert items["Nanode 1GB:us-east"]["from"].startswith("2027-01-10T00:30")
    assert items["Linode 4GB:us-east"]["to"] == "2027-01-31T23:59:59"
    assert cents(january["total"]) == cents(january["subtotal"]) == 3581
    # The promotion's $10.00 went to it.
    account = srv.get("/account").json()
    assert cents(account["balance"]) == 3581 - 1000
    assert account["active_promotions"][0]["credit_remaining"] == "0.00"

    # March begins: February (672 hours) is invoiced, each service capped at its monthly price.
    move_clock_to(srv, MAR)
    wait_until(lambda: srv.get("/account/invoices").json()["results"] == 2, timeout=20,
               what="February's invoice")
    february = srv.get("/account/invoices", filter={"date": "2027-03-01T00:00:00"}).json()
    assert february["results"] == 1
    february = february["data"][0]
    items = items_of(srv, february)
    assert len(items) == 5, items
    expect_item(items, "Linode 4GB:us-east", "0.036", 672, 24.00)
    expect_item(items, "Nanode 1GB:br-gru", "0.0105", 672, 7.00)
    expect_item(items, "Backup Service:br-gru", "0.004", 672, 2.69)
    expect_item(items, "Volume:us-east", "0.003", 672, 2.00)
    expect_item(items, "NodeBalancer:us-east", "0.015", 672, 10.00)
    assert cents(february["total"]) == 4569
    assert cents(srv.get("/account").json()["balance"]) == 3581 - 1000 + 4569

    # Lists filter by total; paying what is owed clears the balance.
    over = srv.get("/account/invoices", filter={"total": {"+gt": 40}}).json()
    assert [i["id"] for i in over["data"]] == [february["id"]]
    r = srv.post("/account/payment-methods", json={
        "type": "credit_card", "is_default": True,
        "data": {"card_number": "4111111111111111", "cvv": "123", "expiry_month": 12,
                 "expiry_year": 2031}})
    assert r.status_code == 200, r.text
    assert srv.post("/account/payments", json={"usd": "71.50"}).status_code == 200
    assert srv.get("/account").json()["balance"] == 0


def test_close_month_invoices_the_use_so_far(instant):
    username = unique_username("bill")
    me = dict(token=create_account(instant.data_dir, username))
    assert instant.get("/account/invoices", **me).json()["results"] == 0
    linode = create_linode(Caller(instant, me["token"]), wait="offline")
    assert cents(instant.get("/account", **me).json()["balance_uninvoiced"]) == 1  # $0.0075

    out = linnetd(["billing", "close-month", "--account", username], instant.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1 invoice written")
    invoices = instant.get("/account/invoices", **me).json()
    assert invoices["results"] == 1
    invoice = invoices["data"][0]
    items = instant.get(f"/account/invoices/{invoice['id']}/items", **me).json()["data"]
    assert [(i["label"], i["quantity"], i["unit_price"], i["amount"]) for i in items] == [
        (f"Nanode 1GB - {linode['label']} ({linode['id']})", 1, "0.0075", 0.01)]
    account = instant.get("/account", **me).json()
    assert account["balance"] == 0.01 and account["balance_uninvoiced"] == 0
    # The balance is due until it is paid.
    [due] = payment_due(instant, **me)
    assert due["severity"] == "critical" and due["entity"] is None
    assert "$0.01" in due["message"]
    r = instant.post("/account/payment-methods", json={
        "type": "credit_card", "is_default": True,
        "data": {"card_number": "4111111111111111", "cvv": "123", "expiry_month": 12,
                 "expiry_year": 2031}}, **me)
    assert r.status_code == 200, r.text
    assert instant.post("/account/payments", json={"usd": "5.00"}, **me).status_code == 200
    assert instant.get("/account", **me).json()["balance"] == -4.99
    assert payment_due(instant, **me) == []

    # The hour is paid for: closing again writes nothing.
    out = linnetd(["billing", "close-month", "--account", username], instant.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.startswith("0 invoices"), out.stdout
    out = linnetd(["billing", "close-month", "--account", "no-such-user"], instant.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "no account" in out.stderr

    assert_error(instant.get("/account/invoices/99999999", **me), 404)
    assert_error(instant.get("/account/invoices/99999999/items", **me), 404)
    assert_error(instant.get("/account/invoices/abc", **me), 404)
    assert_error(instant.get("/account/invoices", headers={"X-Filter": "{"}, **me), 400)


def test_invoices_need_account_access(instant):
    username = unique_username("billr")
    token = create_account(instant.data_dir, username)
    owner = dict(token=token)
    create_linode(Caller(instant, token), wait="offline")
    out = linnetd(["billing", "close-month", "--account", username], instant.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    invoice = instant.get("/account/invoices", **owner).json()["data"][0]
    user = unique_username("acct")
    them = dict(token=account_user(instant.data_dir, username, user))
    assert_error(instant.get("/account/invoices", **them), 403)
    assert_error(instant.get(f"/account/invoices/{invoice['id']}", **them), 403)
    assert payment_due(instant, **owner) and payment_due(instant, **them) == []
    grants = {"global": {"account_access": "read_only"}}
    assert instant.put(f"/account/users/{user}/grants", json=grants, **owner).status_code == 200
    assert instant.get(f"/account/invoices/{invoice['id']}", **them).json() == invoice
    assert payment_due(instant, **them) == payment_due(instant, **owner)


def payment_due(srv, **kw):
    return srv.get("/account/notifications", filter={"type": "payment_due"}, **kw).json()["data"]


def test_the_clock_seam_is_closed_by_default(instant):
    r = instant.post(instant.root + "/linnet-test/clock", json={"advance": 3600}, token=None)
    assert r.status_code == 404
