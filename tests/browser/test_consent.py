"""A person in headless Chromium signs in, narrows what an app asks for on the consent page and
is sent back to the app with a code; the app trades it (with PKCE) for a token that works for
the granted scope only. The consent page is kept as artifacts/consent.png."""
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from support import create_client, make_user, pkce_pair

PASSWORD = "amber-Kestrel-58-meadow"


def test_sign_in_narrow_scopes_and_exchange_the_code(server, chrome, callback, artifacts):
    make_user(server, "browser-user", PASSWORD)
    app = create_client(server, label="Browser test app", redirect_uri=callback.url)
    verifier, challenge = pkce_pair()
    query = urlencode({"client_id": app["id"], "response_type": "code",
                       "scopes": "linodes:read_write account:read_only", "state": "s-42",
                       "redirect_uri": callback.url, "code_challenge": challenge,
                       "code_challenge_method": "S256"})
    wait = WebDriverWait(chrome, 20)

    # Not signed in: the authorize page sends the browser to the sign-in form first.
    chrome.get(f"{server.root}/oauth/authorize?{query}")
    wait.until(EC.presence_of_element_located((By.ID, "username")))
    assert urlsplit(chrome.current_url).path == "/login"
    chrome.find_element(By.ID, "username").send_keys("browser-user")
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    # The consent page names the app and each scope it asks for.
    wait.until(EC.title_contains("Authorize Browser test app"))
    heading = chrome.find_element(By.TAG_NAME, "h1").text
    assert heading == "Authorize Browser test app"
    boxes = {b.get_attribute("value"): b
             for b in chrome.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=scope]")}
    assert set(boxes) == {"account:read_only", "linodes:read_write"}
    assert all(b.is_selected() for b in boxes.values())
    # The user narrows it: no access to the account.
    account_box = boxes["account:read_only"].get_attribute("id")
    chrome.find_element(By.CSS_SELECTOR, f"label[for={account_box}]").click()
    assert not boxes["account:read_only"].is_selected()
    chrome.save_screenshot(str(artifacts / "consent.png"))
    chrome.find_element(By.CSS_SELECTOR, "button[value=approve]").click()

    # Back at the app with a code and the state it sent.
    deadline = time.monotonic() + 20
    while not callback.received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert callback.received, "the app never received the redirect"
    params = {k: v[0] for k, v in parse_qs(urlsplit(callback.received[0]).query).items()}
    assert params["state"] == "s-42"

    r = requests.post(server.root + "/oauth/token", timeout=10, data={
        "grant_type": "authorization_code", "client_id": app["id"],
        "client_secret": app["secret"], "code": params["code"], "code_verifier": verifier,
        "redirect_uri": callback.url})
    assert r.status_code == 200, r.text
    grant = r.json()
    assert grant["scopes"] == "linodes:read_write"
    token = grant["access_token"]
    assert server.get("/linode/instances", token=token).status_code == 200
    assert server.get("/account", token=token).status_code == 401
    assert (artifacts / "consent.png").stat().st_size > 1000
