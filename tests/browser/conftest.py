"""Fixtures of the browser tests: a linnetd (from tests/api/support.py), headless Chromium
under Selenium (Debian's chromium and chromium-driver), and a tiny local app that receives
OAuth redirects on 127.0.0.1."""
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from support import BIN, REPO, Server  # noqa: E402

ARTIFACTS = REPO / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def server():
    assert os.access(BIN, os.X_OK), f"no linnetd binary at {BIN} (set LINNET_BIN)"
    with tempfile.TemporaryDirectory(prefix="linnet-browser-") as data_dir:
        srv = Server(data_dir)
        srv.token = srv.make_token("*")
        srv.start()
        yield srv
        assert srv.terminate(timeout=10) == 0


class Callback:
    """An HTTP server on 127.0.0.1 that records the requests an OAuth app would receive."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                received.append(self.path)
                body = b"<!DOCTYPE html><html lang=en><title>App</title><p>Signed in.</p></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/callback"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def callback():
    app = Callback()
    yield app
    app.close()


@pytest.fixture
def chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK), \
        "install chromium and chromium-driver (make browser does)"
    profile = tempfile.mkdtemp(prefix="linnet-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=480,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
