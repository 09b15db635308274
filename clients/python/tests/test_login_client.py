"""LinodeLoginClient against Linnet's login service: the login URL with PKCE, a user's consent,
finish_oauth's token, scopes, expiry and refresh token, then the token driving LinodeClient."""
import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest

from support import create_client, make_user, sign_in

from linode import LinodeClient, LinodeLoginClient, LoginError, OAuthScopes

PASSWORD = "pale-Lantern-47-orchard"
REDIRECT = "http://127.0.0.1:9/callback"


def consent(browser, url, granted=None):
    """The user approves the consent page at `url`; answers the callback's query."""
    page = browser.get(url, allow_redirects=False, timeout=10)
    assert page.status_code == 200, page.text[:300]
    form = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    offered = re.findall(r'type="checkbox" name="scope" id="[^"]+" value="([^"]+)"', page.text)
    form["scope"] = offered if granted is None else granted
    form["decision"] = "approve"
    r = browser.post(url.split("?")[0], data=form, allow_redirects=False, timeout=10)
    assert r.status_code == 303, r.text[:300]
    location = r.headers["Location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


@pytest.fixture(scope="module")
def app(server):
    if server.get("/account/oauth-clients").status_code == 404:
        pytest.skip("this linnetd has no OAuth clients (login service)")
    return create_client(server, label="python-wrapper", redirect_uri=REDIRECT)


def test_login_flow_gives_a_working_token(server, app):
    make_user(server, "pyflow", PASSWORD)
    browser = sign_in(server, "pyflow", PASSWORD)
    login = LinodeLoginClient(app["id"], app["secret"], base_url=server.root)
    url = login.generate_login_url(scopes=[OAuthScopes.Linodes.read_write], redirect_uri=REDIRECT,
                                   state="xyz")
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["scopes"] == ["linodes:read_write"]
    callback = consent(browser, url)
    assert callback["state"] == "xyz"
    token, scopes, expiry, refresh = login.finish_oauth(callback["code"], state="xyz")
    assert OAuthScopes.Linodes.read_write in scopes
    assert OAuthScopes.covers(scopes, OAuthScopes.Linodes.read_only)
    assert not OAuthScopes.covers(scopes, OAuthScopes.Account.read_only)
    assert expiry > datetime.datetime.now(datetime.timezone.utc)
    assert refresh
    client = LinodeClient(token, base_url=server.base_url)
    assert len(client.get_linodes()) >= 0
    # The refresh token gives a new token; expire_token revokes it.
    token2, _, _, _ = login.refresh_oauth_token(refresh)
    assert token2 != token
    assert login.expire_token(token2) is True
    # The code is single-use.
    with pytest.raises(LoginError) as e:
        login.finish_oauth(callback["code"])
    assert e.value.status == 400 and e.value.oauth_errors[0]["error"] == "invalid_grant"
