"""Behind a trusted proxy (--trusted-proxies) the login service's cookies are Secure when the proxy
says the client came over HTTPS; from an untrusted peer the header changes nothing. /metrics can
be closed with --metrics-token."""
import requests


def session_cookie(srv, headers=None):
    r = requests.get(srv.root + "/login", headers=headers or {}, allow_redirects=False, timeout=10)
    assert r.status_code == 200
    cookies = [v for k, v in r.raw.headers.items() if k.lower() == "set-cookie"]
    assert cookies, "the login form starts a session"
    return cookies[0]


def test_cookies_are_secure_behind_a_trusted_https_proxy(spawn):
    srv = spawn(env={"LINNET_TRUSTED_PROXIES": "127.0.0.1"})
    assert "Secure" in session_cookie(srv, {"X-Forwarded-Proto": "https"}).split("; ")
    assert "Secure" not in session_cookie(srv, {"X-Forwarded-Proto": "http"}).split("; ")
    assert "Secure" not in session_cookie(srv).split("; ")


def test_an_untrusted_peer_cannot_claim_https(spawn):
    srv = spawn(env={"LINNET_TRUSTED_PROXIES": "10.0.0.0/8"})
    assert "Secure" not in session_cookie(srv, {"X-Forwarded-Proto": "https"}).split("; ")


def test_a_bad_trusted_proxy_entry_stops_serve(tmp_path):
    import support
    out = support.linnetd(["serve", "--listen", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/40"],
                          tmp_path, capture_output=True, text=True, timeout=30)
    assert out.returncode != 0
    assert "trusted-proxies" in (out.stderr + out.stdout)


def test_metrics_closed_by_a_token(spawn):
    srv = spawn(env={"LINNET_METRICS_TOKEN": "s3cret-metrics"})
    r = requests.get(srv.root + "/metrics", timeout=10)
    assert r.status_code == 401
    assert r.json()["errors"][0]["reason"]
    r = requests.get(srv.root + "/metrics", headers={"Authorization": "Bearer wrong"}, timeout=10)
    assert r.status_code == 401
    r = requests.get(srv.root + "/metrics",
                     headers={"Authorization": "Bearer s3cret-metrics"}, timeout=10)
    assert r.status_code == 200 and "linnet_" in r.text
    # /healthz stays open.
    assert requests.get(srv.root + "/healthz", timeout=10).status_code == 200
