"""Payments, recorded and never charged: cards (checked, only their kind, last four digits and
expiry kept), the default one, payments against them (and PayPal checkouts executed once), the
balance they credit, and the operator's promo codes (`linnetd promo add`)."""
from support import assert_error, create_account, db_execute, linnetd, unique_username

VISA = "4111111111111111"
MASTERCARD = "5555555555554444"


def card(number=VISA, year=2031, month=12, cvv="123"):
    return {"card_number": number, "cvv": cvv, "expiry_month": month, "expiry_year": year}


def test_cards_payments_and_balance(server):
    me = dict(token=create_account(server.data_dir, unique_username("pay")))
    account = server.get("/account", **me).json()
    assert account["balance"] == 0 and account["credit_card"] == {"expiry": None,
                                                                  "last_four": None}
    assert_error(server.post("/account/payments", json={"usd": "$20.00"}, **me), 400,
                 "payment_method_id")
    for data, field in [(card(number="4111111111111112"), "data.card_number"),
                        (card(number="4111"), "data.card_number"),
                        (card(cvv="12"), "data.cvv"), (card(month=13), "data.expiry_month"),
                        (card(year=2020), "data.expiry_year")]:
        assert_error(server.post("/account/payment-methods", json={
            "type": "credit_card", "is_default": True, "data": data}, **me), 400, field)
    r = server.post("/account/payment-methods", json={"type": "credit_card", "is_default": False,
                                                      "data": card()}, **me)
    assert r.status_code == 200, r.text
    visa = r.json()
    assert set(visa) == {"id", "type", "is_default", "created", "data"}
    assert visa["data"] == {"card_type": "Visa", "expiry": "12/2031", "last_four": "1111"}
    assert visa["is_default"] is True  # the first one is the default
    mc = server.post("/account/payment-methods", json={
        "type": "credit_card", "is_default": False, "data": card(MASTERCARD, month=3)},
        **me).json()
    assert mc["data"]["card_type"] == "MasterCard" and mc["is_default"] is False
    assert_error(server.delete(f"/account/payment-methods/{visa['id']}", **me), 400)
    assert server.post(f"/account/payment-methods/{mc['id']}/make-default", **me).json() == {}
    methods = {m["id"]: m["is_default"] for m in server.get_all("/account/payment-methods", **me)}
    assert methods == {visa["id"]: False, mc["id"]: True}
    assert server.get("/account", **me).json()["credit_card"] == {"expiry": "03/2031",
                                                                  "last_four": "4444"}
    # The cards' numbers and CVVs are nowhere to be read back, nor kept.
    listed = server.get("/account/payment-methods", **me).text
    assert VISA not in listed and MASTERCARD not in listed
    for row in db_execute(server.data_dir, "SELECT * FROM payment_methods"):
        assert not any(str(v) in (VISA, MASTERCARD) or str(v) == "123" for v in row), row
    assert server.delete(f"/account/payment-methods/{visa['id']}", **me).json() == {}

    for usd in ("20", "$4.99", "$50000.01", "12.5", "-5.00"):
        assert_error(server.post("/account/payments", json={"usd": usd}, **me), 400, "usd")
    p = server.post("/account/payments", json={"usd": "$120.50"}, **me).json()
    assert set(p) == {"id", "date", "usd"} and p["usd"] == 120.5
    assert server.get(f"/account/payments/{p['id']}", **me).json() == p
    assert_error(server.post("/account/payments", json={"usd": "10.00",
                                                        "payment_method_id": 999999}, **me),
                 400, "payment_method_id")
    checkout = server.post("/account/payments/paypal", json={
        "usd": "10.00", "redirect_url": "https://example.org/ok",
        "cancel_url": "https://example.org/no"}, **me).json()
    assert set(checkout) == {"checkout_token", "payment_id"}
    execute = {"payer_id": "PAYER", "payment_id": checkout["payment_id"]}
    assert server.post("/account/payments/paypal/execute", json=execute, **me).json() == {}
    assert_error(server.post("/account/payments/paypal/execute", json=execute, **me), 400,
                 "payment_id")
    assert sorted(x["usd"] for x in server.get_all("/account/payments", **me)) == [10.0, 120.5]
    assert server.get("/account", **me).json()["balance"] == -130.5
    # Another account sees none of it.
    assert server.get("/account/payments").json()["data"] == []
    assert_error(server.get(f"/account/payments/{p['id']}"), 404)


def test_a_promo_code(server):
    out = linnetd(["promo", "add", "WELCOME-LINNET", "--credit", "50.00", "--monthly-cap",
                   "10.00", "--summary", "$10 off a month"], server.data_dir,
                  capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    linnetd(["promo", "add", "OLD-ONE", "--credit", "5.00", "--expires", "2020-01-01T00:00:00"],
            server.data_dir, check=True, capture_output=True, timeout=30)
    me = dict(token=create_account(server.data_dir, unique_username("promo")))
    for code in ("NOPE", "OLD-ONE"):
        assert_error(server.post("/account/promo-codes", json={"promo_code": code}, **me), 400,
                     "promo_code")
    r = server.post("/account/promo-codes", json={"promo_code": "WELCOME-LINNET"}, **me)
    assert r.status_code == 200, r.text
    promo = r.json()
    assert promo["credit_remaining"] == "50.00" and promo["credit_monthly_cap"] == "10.00"
    assert promo["this_month_credit_remaining"] == "10.00" and promo["summary"] == "$10 off a month"
    assert server.get("/account", **me).json()["active_promotions"] == [promo]
    assert_error(server.post("/account/promo-codes", json={"promo_code": "WELCOME-LINNET"}, **me),
                 400, "promo_code")
