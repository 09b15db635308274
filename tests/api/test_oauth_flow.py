"""The login service end to end over HTTP: sign-in with CSRF and throttling, the consent page,
authorization codes (single-use, expiring, bound to client, redirect_uri and PKCE), the token
endpoint with refresh rotation and replay detection, revocation and /profile/apps."""
import itertools
import re
import time

import pytest
import requests

from support import (assert_error, assert_list, create_client, csrf_token, db_execute, make_user,
                     pkce_pair, query_of, sign_in)

PASSWORD = "pale-Lantern-47-orchard"
REDIRECT = "http://127.0.0.1:9/callback"
_names = itertools.count(1)


@pytest.fixture
def user(server):
    """A fresh user with a password: (username, personal access token)."""
    name = f"oauth-user-{next(_names)}"
    return name, make_user(server, name, PASSWORD)


@pytest.fixture
def browser(server, user):
    return sign_in(server, user[0], PASSWORD)


@pytest.fixture(scope="module")
def app(server):
    return create_client(server, label="Flow app", redirect_uri=REDIRECT)


@pytest.fixture(scope="module")
def public_app(server):
    return create_client(server, label="Public app", redirect_uri=REDIRECT, public=True)


def consent_page(srv, browser, client, scopes="linodes:read_write account:read_only",
                 **params):
    query = {"client_id": client["id"], "response_type": "code", "scopes": scopes,
             "state": "st-1"}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    return browser.get(srv.root + "/oauth/authorize", params=query, allow_redirects=False,
                       timeout=10)


def answer(srv, browser, page, granted=None, decision="approve", drop=()):
    """Posts the consent form of `page`, leaving checked only `granted` (default: all)."""
    assert page.status_code == 200, f"{page.status_code} {page.text[:300]}"
    form = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    offered = re.findall(r'type="checkbox" name="scope" id="[^"]+" value="([^"]+)"', page.text)
    form["scope"] = offered if granted is None else granted
    form["decision"] = decision
    for name in drop:
        form.pop(name, None)
    return browser.post(srv.root + "/oauth/authorize", data=form, allow_redirects=False,
                        timeout=10)


def authorize(srv, browser, client, granted=None, **params):
    """Runs the consent page to a code; returns (code, verifier)."""
    verifier, challenge = pkce_pair()
    page = consent_page(srv, browser, client, code_challenge=challenge,
                        code_challenge_method="S256", **params)
    r = answer(srv, browser, page, granted)
    assert r.status_code == 303, r.text
    assert r.headers["Location"].startswith(REDIRECT + "?")
    q = query_of(r.headers["Location"])
    assert q["state"] == params.get("state", "st-1")
    return q["code"], verifier


def token_request(srv, data, **kw):
    return requests.post(srv.root + "/oauth/token", data=data, timeout=10, **kw)


def exchange(srv, client, code, verifier=None, secret=None, **extra):
    data = {"grant_type": "authorization_code", "client_id": client["id"], "code": code}
    if secret is None and not client["public"]:
        secret = client["secret"]
    if secret:
        data["client_secret"] = secret
    if verifier:
        data["code_verifier"] = verifier
    data.update(extra)
    return token_request(srv, data)


def refresh(srv, client, refresh_token):
    return token_request(srv, {"grant_type": "refresh_token", "client_id": client["id"],
                               "client_secret": client["secret"],
                               "refresh_token": refresh_token})


def assert_oauth_error(resp, status, error):
    assert resp.status_code == status, f"{resp.status_code} {resp.text}"
    body = resp.json()
    assert body["error"] == error, body
    assert isinstance(body.get("error_description"), str)
    assert resp.headers["Cache-Control"] == "no-store"


def api(srv, token, path):
    return srv.get(path, token=token).status_code


# --- the code flow ---------------------------------------------------------------------------

def test_code_flow_with_narrowed_scopes(server, browser, app, user):
    page = consent_page(server, browser, app, scopes="linodes:read_write account:read_write")
    assert "Flow app" in page.text and user[0] in page.text
    code_verifier, challenge = pkce_pair()
    page = consent_page(server, browser, app, scopes="linodes:read_write account:read_write",
                        code_challenge=challenge, code_challenge_method="S256")
    r = answer(server, browser, page, granted=["linodes:read_write"])
    assert r.status_code == 303
    code = query_of(r.headers["Location"])["code"]

    r = exchange(server, app, code, code_verifier)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "scopes"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 7200
    assert body["scopes"] == "linodes:read_write"
    assert r.headers["Cache-Control"] == "no-store"
    token = body["access_token"]
    assert api(server, token, "/linode/instances") == 200
    assert api(server, token, "/account") == 401
    assert api(server, token, "/profile/tokens") == 401
    me = server.get("/profile", token=token)
    assert me.json()["username"] == user[0]
    assert me.headers["X-OAuth-Scopes"] == "linodes:read_write"

    apps = assert_list(server.get("/profile/apps", token=user[1]))
    assert len(apps) == 1
    assert apps[0]["label"] == "Flow app" and apps[0]["scopes"] == "linodes:read_write"
    assert set(apps[0]) == {"id", "label", "scopes", "created", "expiry", "thumbnail_url",
                            "website"}
    assert apps[0]["website"] == "http://127.0.0.1:9"


def test_code_without_pkce_for_a_confidential_client(server, browser, app):
    r = answer(server, browser, consent_page(server, browser, app, scopes="linodes:read_only"))
    code = query_of(r.headers["Location"])["code"]
    r = exchange(server, app, code)
    assert r.status_code == 200, r.text
    assert r.json()["scopes"] == "linodes:read_only"


def test_sign_in_is_required_and_comes_back(server, app, user):
    anonymous = requests.Session()
    r = consent_page(server, anonymous, app)
    assert r.status_code == 303
    location = r.headers["Location"]
    assert location.startswith("/login?next=%2Foauth%2Fauthorize%3F")
    page = anonymous.get(server.root + location, timeout=10)
    assert page.status_code == 200
    next_value = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
    assert next_value.startswith("/oauth/authorize?")
    r = anonymous.post(server.root + "/login", allow_redirects=False, timeout=30,
                       data={"csrf_token": csrf_token(page.text), "username": user[0],
                             "password": PASSWORD, "next": next_value.replace("&amp;", "&")})
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/oauth/authorize?client_id=")
    assert "Authorize Flow app" in anonymous.get(server.root + r.headers["Location"]).text


def test_next_never_leaves_the_site(server, user):
    b = requests.Session()
    page = b.get(server.root + "/login", timeout=10)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        r = b.post(server.root + "/login", allow_redirects=False, timeout=30,
                   data={"csrf_token": csrf_token(page.text), "username": user[0],
                         "password": PASSWORD, "next": target})
        assert r.status_code == 303 and r.headers["Location"] == "/login", target
        page = b.get(server.root + "/login", timeout=10)


def test_code_replay_revokes_what_it_issued(server, browser, app):
    code, verifier = authorize(server, browser, app)
    first = exchange(server, app, code, verifier)
    assert first.status_code == 200
    token = first.json()["access_token"]
    assert api(server, token, "/linode/instances") == 200
    assert_oauth_error(exchange(server, app, code, verifier), 400, "invalid_grant")
    assert api(server, token, "/linode/instances") == 401
    assert_oauth_error(refresh(server, app, first.json()["refresh_token"]), 400, "invalid_grant")


def test_wrong_redirect_uri_is_an_error_page_never_a_redirect(server, browser, app):
    for uri in ("http://evil.example/callback", REDIRECT + "/more", REDIRECT + "more",
                REDIRECT + "/?x=1", REDIRECT + "#x", REDIRECT + "?x=1#y", REDIRECT + "?",
                REDIRECT + "?x=1 2", "http://127.0.0.1:99/callback", "https://127.0.0.1:9/callback",
                "http://127.0.0.1:9/Callback", "http://evil.example/?" + REDIRECT):
        r = consent_page(server, browser, app, redirect_uri=uri)
        assert r.status_code == 400
        assert "Location" not in r.headers
        assert r.headers["Content-Type"].startswith("text/html")
        assert "evil" not in r.text


def test_unknown_client_is_an_error_page(server, browser):
    r = consent_page(server, browser, {"id": "0" * 20})
    assert r.status_code == 400 and "Location" not in r.headers


def test_bad_client_or_redirect_is_shown_before_sign_in(server, app):
    anonymous = requests.Session()
    r = consent_page(server, anonymous, app, redirect_uri="http://evil.example/callback")
    assert r.status_code == 400 and "Location" not in r.headers
    r = consent_page(server, anonymous, {"id": "0" * 20})
    assert r.status_code == 400 and "Location" not in r.headers


def test_token_endpoint_allows_browser_apps(server, browser, public_app):
    r = requests.options(server.root + "/oauth/token", timeout=10,
                         headers={"Origin": "http://app.example",
                                  "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    code, verifier = authorize(server, browser, public_app)
    r = exchange(server, public_app, code, verifier)
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"


def test_redirect_uri_given_at_exchange_must_match(server, browser, app):
    code, verifier = authorize(server, browser, app, redirect_uri=REDIRECT)
    r = exchange(server, app, code, verifier, redirect_uri="http://evil.example/callback")
    assert_oauth_error(r, 400, "invalid_grant")
    code, verifier = authorize(server, browser, app, redirect_uri=REDIRECT)
    assert exchange(server, app, code, verifier, redirect_uri=REDIRECT).status_code == 200


def test_wrong_or_missing_secret(server, browser, app):
    code, verifier = authorize(server, browser, app)
    assert_oauth_error(exchange(server, app, code, verifier, secret="0" * 64), 401,
                       "invalid_client")
    data = {"grant_type": "authorization_code", "client_id": app["id"], "code": code,
            "code_verifier": verifier}
    assert_oauth_error(token_request(server, data), 401, "invalid_client")
    # The code survived the failed attempts.
    assert exchange(server, app, code, verifier).status_code == 200


def test_client_authentication_with_http_basic(server, browser, app):
    code, verifier = authorize(server, browser, app)
    r = token_request(server, {"grant_type": "authorization_code", "code": code,
                               "code_verifier": verifier}, auth=(app["id"], app["secret"]))
    assert r.status_code == 200, r.text


def test_code_of_another_client_is_refused(server, browser, app):
    other = create_client(server, label="Other app", redirect_uri=REDIRECT)
    code, verifier = authorize(server, browser, app)
    assert_oauth_error(exchange(server, other, code, verifier), 400, "invalid_grant")


def test_wrong_pkce_verifier(server, browser, app):
    code, _ = authorize(server, browser, app)
    other_verifier, _ = pkce_pair()
    assert_oauth_error(exchange(server, app, code, other_verifier), 400, "invalid_grant")
    assert_oauth_error(exchange(server, app, code), 400, "invalid_grant")


def test_public_client_must_use_pkce(server, browser, public_app):
    r = consent_page(server, browser, public_app)
    assert r.status_code == 303
    q = query_of(r.headers["Location"])
    assert q["error"] == "invalid_request" and q["state"] == "st-1"
    assert "code" not in q

    code, verifier = authorize(server, browser, public_app)
    assert_oauth_error(exchange(server, public_app, code), 400, "invalid_grant")
    code, verifier = authorize(server, browser, public_app)
    r = exchange(server, public_app, code, verifier)
    assert r.status_code == 200, r.text


def test_plain_pkce_is_refused(server, browser, app):
    r = consent_page(server, browser, app, code_challenge="a" * 43,
                     code_challenge_method="plain")
    assert r.status_code == 303
    assert query_of(r.headers["Location"])["error"] == "invalid_request"


def test_bad_scopes_and_response_type_go_back_to_the_app(server, browser, app):
    r = consent_page(server, browser, app, scopes="linodes:everything")
    assert query_of(r.headers["Location"])["error"] == "invalid_scope"
    r = consent_page(server, browser, app, response_type="id_token")
    assert r.headers["Location"].startswith(REDIRECT + "?")
    assert query_of(r.headers["Location"])["error"] == "unsupported_response_type"


def test_deny(server, browser, app):
    r = answer(server, browser, consent_page(server, browser, app), decision="deny")
    assert r.status_code == 303
    q = query_of(r.headers["Location"])
    assert q["error"] == "access_denied" and q["state"] == "st-1" and "code" not in q
    r = answer(server, browser, consent_page(server, browser, app), granted=[])
    assert query_of(r.headers["Location"])["error"] == "access_denied"


def test_scopes_cannot_be_widened_on_the_form(server, browser, app):
    page = consent_page(server, browser, app, scopes="linodes:read_only")
    r = answer(server, browser, page, granted=["linodes:read_write"])
    assert query_of(r.headers["Location"])["error"] == "access_denied"


def test_everything_can_be_narrowed(server, browser, app):
    code, verifier = authorize(server, browser, app, scopes="*",
                               granted=["events:read_only", "linodes:read_only"])
    r = exchange(server, app, code, verifier)
    assert r.json()["scopes"] == "events:read_only linodes:read_only"
    code, verifier = authorize(server, browser, app, scopes="*")
    assert exchange(server, app, code, verifier).json()["scopes"] == "*"


def test_expired_code(spawn):
    srv = spawn(token_scopes="*", env={"LINNET_OAUTH_CODE_TTL": "1"})
    make_user(srv, "expiry-user", PASSWORD)
    client = create_client(srv, label="Expiring", redirect_uri=REDIRECT)
    b = sign_in(srv, "expiry-user", PASSWORD)
    code, verifier = authorize(srv, b, client)
    time.sleep(2.2)
    r = exchange(srv, client, code, verifier)
    assert_oauth_error(r, 400, "invalid_grant")
    assert "expired" in r.json()["error_description"]


# --- CSRF and sessions ------------------------------------------------------------------------

def test_csrf_token_missing_on_login(server, user):
    b = requests.Session()
    page = b.get(server.root + "/login", timeout=10)
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Lax" in page.headers["Set-Cookie"]
    for token in (None, "", "0" * 64):
        data = {"username": user[0], "password": PASSWORD}
        if token is not None:
            data["csrf_token"] = token
        r = b.post(server.root + "/login", data=data, allow_redirects=False, timeout=30)
        assert r.status_code == 403, r.status_code
        assert "Location" not in r.headers
    # Still signed out.
    r = b.get(server.root + "/logout", allow_redirects=False, timeout=10)
    assert r.headers["Location"] == "/login"


def test_csrf_token_of_another_session_is_refused(server, user):
    other = requests.Session().get(server.root + "/login", timeout=10)
    b = requests.Session()
    b.get(server.root + "/login", timeout=10)
    r = b.post(server.root + "/login", allow_redirects=False, timeout=30,
               data={"csrf_token": csrf_token(other.text), "username": user[0],
                     "password": PASSWORD})
    assert r.status_code == 403


def test_csrf_token_missing_on_consent(server, browser, app):
    page = consent_page(server, browser, app)
    r = answer(server, browser, page, drop=("csrf_token",))
    assert r.status_code == 403 and "Location" not in r.headers
    stranger = sign_in(server, *make_stranger(server))
    r = stranger.post(server.root + "/oauth/authorize", allow_redirects=False, timeout=10,
                      data={"csrf_token": csrf_token(page.text), "client_id": app["id"],
                            "response_type": "code", "scopes": "linodes:read_only",
                            "scope": "linodes:read_only", "decision": "approve"})
    assert r.status_code == 403 and "Location" not in r.headers


def make_stranger(server):
    name = f"oauth-stranger-{next(_names)}"
    make_user(server, name, PASSWORD)
    return name, PASSWORD


def test_session_cookie(server, user):
    b = requests.Session()
    page = b.get(server.root + "/login", timeout=10)
    anonymous = b.cookies["linnet_session"]
    r = b.post(server.root + "/login", allow_redirects=False, timeout=30,
               data={"csrf_token": csrf_token(page.text), "username": user[0],
                     "password": PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert b.cookies["linnet_session"] != anonymous  # a new session on sign-in
    stored = [row[0] for row in db_execute(server.data_dir, "SELECT id_hash FROM login_sessions")]
    assert b.cookies["linnet_session"] not in stored
    signed_in = b.get(server.root + "/login", timeout=10)
    assert user[0] in signed_in.text and "Sign out" in signed_in.text


def test_logout(server, browser, app):
    page = browser.get(server.root + "/logout", timeout=10)
    assert page.status_code == 200
    r = browser.post(server.root + "/logout", data={}, allow_redirects=False, timeout=10)
    assert r.status_code == 403
    r = browser.post(server.root + "/logout", data={"csrf_token": csrf_token(page.text)},
                     allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    assert consent_page(server, browser, app).headers["Location"].startswith("/login?next=")


def test_wrong_password(server, user):
    b = requests.Session()
    page = b.get(server.root + "/login", timeout=10)
    r = b.post(server.root + "/login", allow_redirects=False, timeout=30,
               data={"csrf_token": csrf_token(page.text), "username": user[0],
                     "password": "not-it"})
    assert r.status_code == 401
    assert "Wrong username or password" in r.text
    assert 'value="%s"' % user[0] in r.text


def test_failed_logins_are_slowed(spawn):
    srv = spawn(token_scopes="*")
    make_user(srv, "guessed", PASSWORD)
    make_user(srv, "bystander", PASSWORD)
    b = requests.Session()
    page = b.get(srv.root + "/login", timeout=10)
    csrf = csrf_token(page.text)

    def attempt(username, password):
        return b.post(srv.root + "/login", allow_redirects=False, timeout=30,
                      data={"csrf_token": csrf, "username": username, "password": password})

    for _ in range(3):
        assert attempt("guessed", "wrong").status_code == 401
    # Past the free attempts each failure locks the username out, from the moment it is counted
    # and before its password is checked, for twice as long as the last (2 s, 4 s, 8 s). On a
    # busy machine a check can outlast the shorter lockouts: guesses go on until one is refused
    # with time left (at most 9 failures, within what the address may have).
    for _ in range(6):
        r = attempt("guessed", "wrong")
        if r.status_code == 429 and int(r.headers["Retry-After"]) >= 3:
            break
        if r.status_code == 429:
            time.sleep(int(r.headers["Retry-After"]) + 0.2)
        else:
            assert r.status_code == 401
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 3, r.status_code
    # Locked out now, even with the right password.
    r = attempt("guessed", PASSWORD)
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) >= 1
    assert "Too many failed sign-in attempts" in r.text
    # Another user from the same address is not locked out by these few failures.
    assert attempt("bystander", PASSWORD).status_code == 303
    # The lockout ends.
    time.sleep(int(r.headers["Retry-After"]) + 0.5)
    b2 = requests.Session()
    page = b2.get(srv.root + "/login", timeout=10)
    r = b2.post(srv.root + "/login", allow_redirects=False, timeout=30,
                data={"csrf_token": csrf_token(page.text), "username": "guessed",
                      "password": PASSWORD})
    assert r.status_code == 303


def test_parallel_guesses_get_no_more_tries_than_sequential_ones(spawn):
    """16 guesses at once: each attempt is reserved (counted as a failure) before its password is
    checked, so every checked guess is counted and no more are checked than one after another
    would be (3 free, the 4th locks for 2 s)."""
    import time
    from concurrent.futures import ThreadPoolExecutor
    from support import db_execute
    # A handler each, so that the 16 arrive together rather than queue behind password checks.
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "32"})
    make_user(srv, "raced", PASSWORD)
    sessions = []
    for _ in range(16):
        b = requests.Session()
        page = b.get(srv.root + "/login", timeout=10)
        sessions.append((b, csrf_token(page.text)))

    def guess(pair):
        b, csrf = pair
        return b.post(srv.root + "/login", allow_redirects=False, timeout=60,
                      data={"csrf_token": csrf, "username": "raced", "password": "wrong"}
                      ).status_code

    began = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(guess, sessions))
    # (503: every password hasher was busy; such a guess is not checked and not counted.)
    assert codes.count(401) + codes.count(429) + codes.count(503) == 16, codes
    # Every checked guess was counted first: none slipped past the count of another.
    counted = db_execute(srv.data_dir, "SELECT failures FROM login_failures WHERE subject = ?",
                         ("user:raced",))
    assert counted == [(codes.count(401),)], (counted, codes)
    # Within the first lockout (at least 1 s: it is kept in whole seconds) no fifth guess is
    # checked; on a machine so loaded that the burst outlasts it, one more may fairly be.
    elapsed = time.monotonic() - began
    print(f"16 guesses answered in {elapsed:.2f} s: {codes.count(401)} checked")
    if elapsed < 1.0:
        assert codes.count(401) <= 4, codes


def test_a_burst_of_sign_ins_is_refused_past_the_hashers_not_queued(spawn):
    """48 sign-ins at once, each from its own address and username: a few are checked, the rest
    are answered 503 with Retry-After at once, and a refused attempt is not counted as a
    failure."""
    from concurrent.futures import ThreadPoolExecutor
    from support import db_execute
    srv = spawn(token_scopes="*", env={"LINNET_HANDLER_THREADS": "96",
                                        "LINNET_TRUSTED_PROXIES": "127.0.0.1"})
    sessions = []
    for i in range(48):
        b = requests.Session()
        sessions.append((i, b, csrf_token(b.get(srv.root + "/login", timeout=10).text)))

    def attempt(item):
        i, b, csrf = item
        r = b.post(srv.root + "/login", allow_redirects=False, timeout=60,
                   headers={"X-Forwarded-For": f"198.51.100.{i + 1}"},
                   data={"csrf_token": csrf, "username": f"burst-{i}", "password": "wrong"})
        return i, r.status_code, r.headers.get("Retry-After"), r.text

    with ThreadPoolExecutor(48) as pool:
        answers = list(pool.map(attempt, sessions))
    codes = [code for _, code, _, _ in answers]
    assert set(codes) <= {401, 503}, codes
    assert codes.count(503) >= 1, codes
    assert codes.count(401) >= 1, codes
    for i, code, retry_after, text in answers:
        failures = db_execute(srv.data_dir, "SELECT failures FROM login_failures WHERE subject = ?",
                              (f"user:burst-{i}",))
        if code == 503:
            assert retry_after == "1" and "busy" in text
            assert failures == [], failures
        else:
            assert failures == [(1,)], failures


def test_failures_per_address(spawn):
    srv = spawn(token_scopes="*")
    make_user(srv, "someone", PASSWORD)
    b = requests.Session()
    csrf = csrf_token(b.get(srv.root + "/login", timeout=10).text)
    for i in range(11):  # many usernames, one address
        r = b.post(srv.root + "/login", allow_redirects=False, timeout=30,
                   data={"csrf_token": csrf, "username": f"nobody-{i}", "password": "x"})
        assert r.status_code == 401
    r = b.post(srv.root + "/login", allow_redirects=False, timeout=30,
               data={"csrf_token": csrf, "username": "someone", "password": PASSWORD})
    assert r.status_code == 429


# --- refresh, revocation, implicit flow, apps -------------------------------------------------

def test_refresh_rotation_and_replay_revokes_the_chain(server, browser, app):
    code, verifier = authorize(server, browser, app)
    first = exchange(server, app, code, verifier).json()
    r = refresh(server, app, first["refresh_token"])
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scopes"] == first["scopes"]
    assert api(server, second["access_token"], "/linode/instances") == 200
    r = refresh(server, app, second["refresh_token"])
    assert r.status_code == 200
    third = r.json()

    # The first refresh token again: a thief or a bug; the whole chain goes.
    assert_oauth_error(refresh(server, app, first["refresh_token"]), 400, "invalid_grant")
    for token in (first, second, third):
        assert api(server, token["access_token"], "/linode/instances") == 401
    assert_oauth_error(refresh(server, app, third["refresh_token"]), 400, "invalid_grant")


def test_refresh_token_of_another_client(server, browser, app):
    other = create_client(server, label="Refresh thief", redirect_uri=REDIRECT)
    code, verifier = authorize(server, browser, app)
    grant = exchange(server, app, code, verifier).json()
    assert_oauth_error(refresh(server, other, grant["refresh_token"]), 400, "invalid_grant")
    assert refresh(server, app, grant["refresh_token"]).status_code == 200


def test_refresh_token_is_not_a_bearer_token(server, browser, app):
    code, verifier = authorize(server, browser, app)
    grant = exchange(server, app, code, verifier).json()
    assert api(server, grant["refresh_token"], "/linode/instances") == 401


def test_expire_revokes_a_token(server, browser, app):
    code, verifier = authorize(server, browser, app)
    grant = exchange(server, app, code, verifier).json()
    token = grant["access_token"]
    assert api(server, token, "/linode/instances") == 200
    r = requests.post(server.root + "/oauth/token/expire", timeout=10,
                      data={"client_id": app["id"], "client_secret": "0" * 64, "token": token})
    assert_oauth_error(r, 401, "invalid_client")
    assert api(server, token, "/linode/instances") == 200
    r = requests.post(server.root + "/oauth/token/expire", timeout=10,
                      data={"client_id": app["id"], "client_secret": app["secret"],
                            "token": token})
    assert r.status_code == 200 and r.json() == {}
    assert api(server, token, "/linode/instances") == 401
    # The refresh token still works until it too is expired.
    r = refresh(server, app, grant["refresh_token"])
    assert r.status_code == 200
    requests.post(server.root + "/oauth/token/expire", timeout=10,
                  data={"client_id": app["id"], "client_secret": app["secret"],
                        "token": r.json()["refresh_token"]})
    assert api(server, r.json()["access_token"], "/linode/instances") == 401


def test_implicit_flow(server, browser, app):
    page = consent_page(server, browser, app, response_type="token", scopes="linodes:read_only")
    r = answer(server, browser, page)
    assert r.status_code == 303
    location = r.headers["Location"]
    assert location.startswith(REDIRECT + "#")
    q = query_of(location)
    assert q["token_type"] == "bearer" and q["expires_in"] == "7200"
    assert q["scopes"] == "linodes:read_only" and q["state"] == "st-1"
    assert "refresh_token" not in q
    assert api(server, q["access_token"], "/linode/instances") == 200
    assert api(server, q["access_token"], "/account") == 401


def test_deleting_an_app_revokes_its_tokens(server, browser, app, user):
    code, verifier = authorize(server, browser, app)
    grant = exchange(server, app, code, verifier).json()
    apps = assert_list(server.get("/profile/apps", token=user[1]))
    app_id = apps[-1]["id"]
    one = server.get(f"/profile/apps/{app_id}", token=user[1])
    assert one.status_code == 200 and one.json() == apps[-1]
    # Another user sees none of it.
    assert_error(server.get(f"/profile/apps/{app_id}"), 404)
    assert_error(server.delete(f"/profile/apps/{app_id}"), 404)

    r = server.delete(f"/profile/apps/{app_id}", token=user[1])
    assert r.status_code == 200 and r.json() == {}
    assert api(server, grant["access_token"], "/linode/instances") == 401
    assert_oauth_error(refresh(server, app, grant["refresh_token"]), 400, "invalid_grant")
    assert_error(server.get(f"/profile/apps/{app_id}", token=user[1]), 404)


def test_deleting_a_client_revokes_its_tokens(server, browser):
    client = create_client(server, label="Short-lived app", redirect_uri=REDIRECT)
    code, verifier = authorize(server, browser, client)
    grant = exchange(server, client, code, verifier).json()
    assert server.delete(f"/account/oauth-clients/{client['id']}").status_code == 200
    assert api(server, grant["access_token"], "/linode/instances") == 401
    assert_oauth_error(refresh(server, client, grant["refresh_token"]), 401, "invalid_client")


def test_reset_secret_retires_the_old_one(server, browser):
    client = create_client(server, label="Rotating app", redirect_uri=REDIRECT)
    code, verifier = authorize(server, browser, client)
    new_secret = server.post(f"/account/oauth-clients/{client['id']}/reset-secret").json()
    assert_oauth_error(exchange(server, client, code, verifier), 401, "invalid_client")
    r = exchange(server, client, code, verifier, secret=new_secret["secret"])
    assert r.status_code == 200


def test_token_endpoint_takes_multipart(server, browser, app):
    code, verifier = authorize(server, browser, app)
    fields = {"grant_type": "authorization_code", "client_id": app["id"],
              "client_secret": app["secret"], "code": code, "code_verifier": verifier}
    r = requests.post(server.root + "/oauth/token", timeout=10,
                      files={k: (None, v) for k, v in fields.items()})
    assert r.status_code == 200, r.text
    assert api(server, r.json()["access_token"], "/linode/instances") == 200


def test_token_endpoint_errors(server, app):
    r = requests.post(server.root + "/oauth/token", json={"grant_type": "refresh_token"},
                      timeout=10)
    assert_oauth_error(r, 400, "invalid_request")
    r = token_request(server, {"grant_type": "password", "client_id": app["id"],
                               "client_secret": app["secret"]})
    assert_oauth_error(r, 400, "unsupported_grant_type")
    r = token_request(server, {"grant_type": "authorization_code", "client_id": app["id"],
                               "client_secret": app["secret"], "code": "0" * 40})
    assert_oauth_error(r, 400, "invalid_grant")
    r = token_request(server, {"grant_type": "authorization_code", "client_id": "0" * 20,
                               "code": "x"})
    assert_oauth_error(r, 401, "invalid_client")
    r = token_request(server, "grant_type=refresh_token&grant_type=authorization_code&"
                      f"client_id={app['id']}",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_oauth_error(r, 400, "invalid_request")
    r = requests.get(server.root + "/oauth/token", timeout=10)
    assert r.status_code == 405


def test_pages_are_accessible_and_self_contained(server, browser, app):
    for page in (requests.get(server.root + "/login", timeout=10),
                 consent_page(server, browser, app)):
        text = page.text
        assert text.startswith("<!DOCTYPE html>")
        assert '<html lang="en">' in text
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
        assert "<h1>" in text and "<title>" in text
        for input_id in re.findall(r'<input type="(?:text|password|checkbox)"[^>]* id="([^"]+)"',
                                   text):
            assert f'<label for="{input_id}">' in text, input_id
        assert "http://" not in text.split("<main>")[0]  # nothing loaded from elsewhere
        assert "<script" not in text
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Cache-Control"] == "no-store"


def test_api_paths_are_unchanged(server):
    r = requests.get(server.root + "/nowhere", timeout=10)
    assert_error(r, 404)
    assert requests.get(server.root + "/v4/login", timeout=10).status_code == 404


# --- Cloud Manager's sign-in, as it sends it ---------------------------------------------------

def test_cloud_manager_sign_in_and_sign_out(server, browser, public_app):
    """`scope` (not `scopes`), a redirect_uri with a query added to the registered one, a
    cross-origin multipart code exchange with no secret and no redirect_uri (and a `state` the
    endpoint ignores), the pages Cloud Manager reads first, then a cross-origin multipart
    POST /oauth/revoke and a visit to /logout."""
    origin = {"Origin": "http://cloud.example"}
    verifier, challenge = pkce_pair()
    back = REDIRECT + "?returnTo=%2Flinodes"
    page = browser.get(server.root + "/oauth/authorize", allow_redirects=False, timeout=10,
                       params={"client_id": public_app["id"], "code_challenge": challenge,
                               "code_challenge_method": "S256", "redirect_uri": back,
                               "response_type": "code", "scope": "*", "state": "cm-7"})
    assert page.status_code == 200, page.text[:300]
    r = answer(server, browser, page)
    assert r.status_code == 303, r.text
    assert r.headers["Location"].startswith(back + "&code=")
    q = query_of(r.headers["Location"])
    assert q["returnTo"] == "/linodes" and q["state"] == "cm-7"

    fields = {"grant_type": "authorization_code", "client_id": public_app["id"],
              "code": q["code"], "state": "cm-7", "code_verifier": verifier}
    r = requests.post(server.root + "/oauth/token", timeout=10, headers=origin,
                      files={k: (None, v) for k, v in fields.items()})
    assert r.status_code == 200, r.text
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    grant = r.json()
    assert grant["scopes"] == "*"
    token = grant["access_token"]
    for path in ("/profile", "/profile/preferences", "/account/notifications",
                 "/account/maintenance", "/account/transfer", "/linode/instances",
                 "/profile/security-questions", "/regions/vpc-availability"):
        assert api(server, token, path) == 200, path

    pre = requests.options(server.root + "/oauth/revoke", timeout=10,
                           headers=dict(origin, **{"Access-Control-Request-Method": "POST"}))
    assert pre.status_code == 200 and "POST" in pre.headers["Access-Control-Allow-Methods"]
    r = requests.post(server.root + "/oauth/revoke", timeout=10, headers=origin,
                      files={"client_id": (None, public_app["id"]), "token": (None, token)})
    assert r.status_code == 200 and r.json() == {}, r.text
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert api(server, token, "/profile") == 401
    # Revoking what is already gone is not an error (RFC 7009).
    r = requests.post(server.root + "/oauth/revoke", timeout=10, headers=origin,
                      files={"client_id": (None, public_app["id"]), "token": (None, token)})
    assert r.status_code == 200
    assert_oauth_error(requests.post(server.root + "/oauth/revoke", timeout=10,
                                     data={"client_id": public_app["id"]}),
                       400, "invalid_request")
    logout = browser.get(server.root + "/logout", timeout=10)
    assert logout.status_code == 200
    r = browser.post(server.root + "/logout", data={"csrf_token": csrf_token(logout.text)},
                     allow_redirects=False, timeout=10)
    assert r.status_code in (302, 303)
    page = browser.get(server.root + "/oauth/authorize", allow_redirects=False, timeout=10,
                       params={"client_id": public_app["id"], "response_type": "code",
                               "scope": "*", "redirect_uri": back,
                               "code_challenge": challenge, "code_challenge_method": "S256"})
    assert page.status_code in (302, 303) and "/login" in page.headers["Location"]
