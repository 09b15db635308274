"""Two-factor sign-in through the API and the login service: /profile/tfa-enable gives a TOTP
secret, /tfa-enable-confirm takes a code of it (computed here, RFC 6238) and answers the scratch
code; the login service then asks for a code after the password, takes each code once and the
scratch code once, counts wrong codes as failed sign-ins, and trusts a browser on request
(/profile/devices lists it; deleting it asks again); /tfa-disable turns it off."""
import base64
import hashlib
import hmac
import re
import struct
import time

import requests

from support import assert_error, csrf_token, make_user, unique_username

PASSWORD = "Tfa-pass-7x!q2"


def code_at(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1000000:06d}"


class Codes:
    """Codes of a secret, each of a step after the last one used (a code is good once)."""

    def __init__(self, secret):
        self.secret, self.used = secret, 0

    def fresh(self):
        step = max(int(time.time()) // 30 - 1, self.used + 1)
        while step > int(time.time()) // 30 + 1:
            time.sleep(1)
        self.used = step
        return code_at(self.secret, step)


def password_step(srv, username, session=None):
    browser = session or requests.Session()
    page = browser.get(srv.root + "/login", timeout=10)
    r = browser.post(srv.root + "/login", timeout=30, allow_redirects=False, data={
        "csrf_token": csrf_token(page.text), "username": username, "password": PASSWORD})
    return browser, r


def code_step(srv, browser, page, code, trust=False):
    data = {"csrf_token": csrf_token(page.text), "code": code}
    if trust:
        data["trust"] = "yes"
    return browser.post(srv.root + "/login/tfa", timeout=30, allow_redirects=False, data=data)


def signed_in(srv, browser):
    return "You are signed in" in browser.get(srv.root + "/login", timeout=10).text


def test_two_factor_sign_in(server):
    username = unique_username("tfa")
    token = make_user(server, username, PASSWORD)
    me = lambda path, **kw: server.post(path, token=token, **kw)  # noqa: E731

    assert_error(me("/profile/tfa-enable-confirm", json={"tfa_code": "123456"}), 400)
    enrolment = me("/profile/tfa-enable").json()
    assert set(enrolment) == {"secret", "expiry"}
    secret = enrolment["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    codes = Codes(secret)
    # Until it is confirmed, a sign-in takes the password alone.
    browser, r = password_step(server, username)
    assert r.status_code == 303 and signed_in(server, browser)

    assert_error(me("/profile/tfa-enable-confirm", json={"tfa_code": "000000"}), 400, "tfa_code")
    assert_error(me("/profile/tfa-enable-confirm", json={}), 400, "tfa_code")
    r = me("/profile/tfa-enable-confirm", json={"tfa_code": codes.fresh()})
    assert r.status_code == 200, r.text
    scratch = r.json()["scratch"]
    assert len(scratch) == 10
    assert server.get("/profile", token=token).json()["two_factor_auth"] is True
    assert server.get(f"/account/users/{username}").json()["tfa_enabled"] is True
    assert_error(me("/profile/tfa-enable"), 400)

    # The password alone no longer signs in: the code is asked for.
    browser, page = password_step(server, username)
    assert page.status_code == 200 and 'action="/login/tfa"' in page.text
    assert not signed_in(server, browser)
    wrong = code_step(server, browser, page, "000000")
    assert wrong.status_code == 401 and not signed_in(server, browser)
    # The code the confirmation used is spent.
    replayed = code_step(server, browser, wrong, code_at(secret, codes.used))
    assert replayed.status_code == 401
    r = code_step(server, browser, replayed, codes.fresh(), trust=True)
    assert r.status_code == 303, r.text[:300]
    assert signed_in(server, browser)
    device_cookie = browser.cookies.get("linnet_device")
    assert device_cookie and len(device_cookie) == 64

    devices = server.get("/profile/devices", token=token).json()["data"]
    assert len(devices) == 1
    device = devices[0]
    assert set(device) == {"id", "created", "expiry", "last_authenticated", "last_remote_addr",
                           "user_agent"}
    assert device["last_remote_addr"] == "127.0.0.1"
    assert "python-requests" in device["user_agent"]
    assert server.get(f"/profile/devices/{device['id']}", token=token).json() == device
    # Another user sees none of it.
    assert server.get("/profile/devices").json()["data"] == []
    assert_error(server.get(f"/profile/devices/{device['id']}"), 404)

    # The trusted browser signs in with its password alone; another one is asked for the code.
    trusted = requests.Session()
    trusted.cookies.set("linnet_device", device_cookie)
    trusted, r = password_step(server, username, trusted)
    assert r.status_code == 303 and signed_in(server, trusted)
    other, page = password_step(server, username)
    assert page.status_code == 200 and 'action="/login/tfa"' in page.text

    # The scratch code signs in once.
    assert code_step(server, other, page, scratch.lower()).status_code == 303
    again, page = password_step(server, username)
    assert code_step(server, again, page, scratch).status_code == 401

    # A deleted device is asked for the code again.
    assert server.delete(f"/profile/devices/{device['id']}", token=token).json() == {}
    trusted.cookies.clear()
    trusted.cookies.set("linnet_device", device_cookie)
    trusted, page = password_step(server, username, trusted)
    assert page.status_code == 200 and 'action="/login/tfa"' in page.text

    assert me("/profile/tfa-disable").json() == {}
    assert server.get("/profile", token=token).json()["two_factor_auth"] is False
    assert_error(me("/profile/tfa-disable"), 400)
    browser, r = password_step(server, username)
    assert r.status_code == 303 and signed_in(server, browser)


def test_wrong_codes_lock_the_user_out(server):
    username = unique_username("tfl")
    token = make_user(server, username, PASSWORD)
    secret = server.post("/profile/tfa-enable", token=token).json()["secret"]
    codes = Codes(secret)
    assert server.post("/profile/tfa-enable-confirm", token=token,
                       json={"tfa_code": codes.fresh()}).status_code == 200
    browser, page = password_step(server, username)
    statuses = []
    while 429 not in statuses and len(statuses) < 6:
        page = code_step(server, browser, page, "999999")
        statuses.append(page.status_code)
    # A few free tries, then the lockout of a username's failed sign-ins.
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401} and len(statuses) >= 4, statuses
    # Locked out, even the right code is refused.
    assert code_step(server, browser, page, codes.fresh()).status_code == 429
    # A form that did not come from the page is refused.
    r = browser.post(server.root + "/login/tfa", data={"csrf_token": "x", "code": "1"},
                     allow_redirects=False, timeout=10)
    assert r.status_code == 403


def test_the_password_again_does_not_reset_the_code_lockout(server):
    username = unique_username("tfr")
    token = make_user(server, username, PASSWORD)
    codes = Codes(server.post("/profile/tfa-enable", token=token).json()["secret"])
    assert server.post("/profile/tfa-enable-confirm", token=token,
                       json={"tfa_code": codes.fresh()}).status_code == 200
    statuses = []
    while 429 not in statuses and len(statuses) < 10:
        # Two wrong codes, then the password again, as a guesser of codes would: the lockout
        # comes all the same, at the code or at the password.
        browser, page = password_step(server, username)
        if page.status_code != 200:
            statuses.append(page.status_code)
            continue
        for _ in range(2):
            page = code_step(server, browser, page, "999999")
            statuses.append(page.status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401} and len(statuses) <= 6, statuses
