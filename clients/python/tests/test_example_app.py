"""The example app install-on-linode driven end to end in headless Chromium: pick a plan and a
region, sign in to Linnet, approve linodes:read_write on the consent page, come back to the app,
which creates and boots a Linode with the visitor's token."""
import importlib.util
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from support import create_client, make_user

APP = Path(__file__).resolve().parents[1] / "examples" / "install-on-linode" / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "quiet-Harbor-83-lantern"

flask = pytest.importorskip("flask", reason="python3-flask is needed by the example app")
webdriver = pytest.importorskip("selenium.webdriver")


@pytest.fixture
def chrome():
    from selenium.webdriver.chrome.service import Service
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip("chromium and chromium-driver are needed")
    profile = tempfile.mkdtemp(prefix="linnet-example-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Without the background-networking flags Chromium keeps dialling out on a closed network.
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def example(server):
    """The app served on 127.0.0.1 with an OAuth client registered for it; yields its URL."""
    from werkzeug.serving import make_server
    if server.get("/account/oauth-clients").status_code == 404:
        pytest.skip("this linnetd has no OAuth clients (login service)")
    spec = importlib.util.spec_from_file_location("install_on_linode", APP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    settings = {"LINNET_API": server.base_url, "LINNET_LOGIN": server.root}
    httpd = make_server("127.0.0.1", 0, None)
    url = f"http://127.0.0.1:{httpd.server_port}"
    oauth = create_client(server, label="Install on Linode", redirect_uri=url + "/callback")
    settings.update(CLIENT_ID=oauth["id"], CLIENT_SECRET=oauth["secret"], APP_URL=url)
    httpd.app = module.create_app(settings)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield url
    httpd.shutdown()


def test_install_on_linode_in_chromium(server, example, chrome):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
    make_user(server, "example-user", PASSWORD)
    wait = WebDriverWait(chrome, 30)

    chrome.get(example + "/")
    Select(chrome.find_element(By.ID, "type")).select_by_value("g6-nanode-1")
    Select(chrome.find_element(By.ID, "region")).select_by_value("us-east")
    chrome.find_element(By.ID, "deploy").click()

    # Linnet's sign-in, then its consent page for linodes:read_write.
    wait.until(EC.presence_of_element_located((By.ID, "username")))
    chrome.find_element(By.ID, "username").send_keys("example-user")
    chrome.find_element(By.ID, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.title_contains("Authorize Install on Linode"))
    scopes = [b.get_attribute("value")
              for b in chrome.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=scope]")]
    assert scopes == ["linodes:read_write"]
    chrome.find_element(By.CSS_SELECTOR, "button[value=approve]").click()

    # Back at the app: the Linode is made with the visitor's token and boots.
    wait.until(EC.presence_of_element_located((By.ID, "linode-id")))
    linode_id = chrome.find_element(By.ID, "linode-id").text
    assert len(chrome.find_element(By.ID, "password").text) >= 32
    linode = server.get(f"/linode/instances/{linode_id}").json()
    assert (linode["type"], linode["region"], linode["image"]) == \
        ("g6-nanode-1", "us-east", "linode/debian12")
    deadline = time.monotonic() + 30
    while server.get(f"/linode/instances/{linode_id}").json()["status"] != "running":
        assert time.monotonic() < deadline, "the Linode never ran"
        time.sleep(0.1)
