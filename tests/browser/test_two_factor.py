"""Two-factor sign-in in headless Chromium: a user who turned it on (the codes computed here)
signs in with password and code and trusts the browser; the same browser then signs in with the
password alone; once the device is deleted it is asked for the code again and the scratch code
signs it in. The code page is kept as artifacts/two-factor.png."""
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from support import make_user
from test_profile_tfa import Codes

PASSWORD = "osprey-Lantern-31-harbour"


def sign_in(server, chrome, username):
    """Signs out if signed in, then submits the password; answers the page's heading."""
    wait = WebDriverWait(chrome, 20)
    chrome.get(f"{server.root}/login")
    heading(chrome)
    if chrome.find_elements(By.CSS_SELECTOR, "form[action='/logout'] button"):
        submit(chrome)
        wait.until(EC.presence_of_element_located((By.ID, "username")))
    chrome.find_element(By.ID, "username").send_keys(username)
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    return submit(chrome)


def heading(chrome):
    """The heading of the page once it has loaded (read again while the page is replaced)."""
    def read(driver):
        try:
            if driver.execute_script("return document.readyState") != "complete":
                return False
            return driver.find_element(By.TAG_NAME, "h1").text or False
        except WebDriverException:
            return False
    return WebDriverWait(chrome, 20).until(read)


def submit(chrome):
    """Submits the page's form and answers the heading of the page it leads to."""
    old = chrome.find_element(By.TAG_NAME, "h1")
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def replaced(driver):
        # The old page's heading is gone (Chromium may say so as a stale element or as a node
        # of another document).
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(chrome, 20).until(replaced)
    return heading(chrome)


def enter_code(chrome, code, trust=False):
    chrome.find_element(By.ID, "code").send_keys(code)
    if trust:
        chrome.find_element(By.CSS_SELECTOR, "label[for=trust]").click()
        assert chrome.find_element(By.ID, "trust").is_selected()
    return submit(chrome)


def test_a_browser_signs_in_with_a_code_and_is_trusted(server, chrome, artifacts):
    token = make_user(server, "tfa-browser", PASSWORD)
    secret = server.post("/profile/tfa-enable", token=token).json()["secret"]
    codes = Codes(secret)
    r = server.post("/profile/tfa-enable-confirm", token=token, json={"tfa_code": codes.fresh()})
    assert r.status_code == 200, r.text
    scratch = r.json()["scratch"]

    assert sign_in(server, chrome, "tfa-browser") == "Two-factor authentication"
    chrome.save_screenshot(str(artifacts / "two-factor.png"))
    assert enter_code(chrome, "000000") == "Two-factor authentication"
    assert "not right" in chrome.find_element(By.TAG_NAME, "main").text
    assert enter_code(chrome, codes.fresh(), trust=True) == "You are signed in"

    devices = server.get("/profile/devices", token=token).json()["data"]
    assert len(devices) == 1 and "Chrome" in devices[0]["user_agent"]

    # Trusted: the password alone signs this browser in.
    assert sign_in(server, chrome, "tfa-browser") == "You are signed in"

    # Deleted: the code is asked for again; the scratch code answers it.
    assert server.delete(f"/profile/devices/{devices[0]['id']}", token=token).status_code == 200
    assert sign_in(server, chrome, "tfa-browser") == "Two-factor authentication"
    assert enter_code(chrome, scratch) == "You are signed in"
