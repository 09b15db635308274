"""GET /healthz and the Prometheus text at GET /metrics: request counters per operation,
duration histogram buckets, in-flight gauge and process memory."""
import re

import requests

from support import wait_until


def metrics(server):
    r = requests.get(server.root + "/metrics", timeout=5)
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    return r.text


def samples(text, name):
    """[(labels_str, value)] for the metric NAME."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^%s(\{[^}]*\})?\s+(\S+)" % re.escape(name), line)
        if m:
            out.append((m.group(1) or "", float(m.group(2))))
    return out


def regions_count(text):
    return sum(v for labels, v in samples(text, "linnet_http_requests_total")
               if 'operation="get-regions"' in labels)


def test_healthz(server):
    r = requests.get(server.root + "/healthz", timeout=5)
    assert r.status_code == 200


def test_metrics_has_the_expected_families(server):
    server.get("/regions")
    text = metrics(server)
    assert regions_count(text) >= 1
    buckets = samples(text, "linnet_http_request_duration_seconds_bucket")
    assert buckets and any('le="+Inf"' in labels for labels, _ in buckets)
    assert samples(text, "linnet_http_requests_in_flight")
    rss = samples(text, "process_resident_memory_bytes")
    assert rss and rss[0][1] > 0
    assert "# TYPE linnet_http_requests_total counter" in text


def test_request_counter_grows(server):
    before = regions_count(metrics(server))
    for _ in range(3):
        assert server.get("/regions", token=None).status_code == 200
    # A request is counted once its answer is written: the last may be counted a moment after
    # its client read it.
    wait_until(lambda: regions_count(metrics(server)) >= before + 3, timeout=5,
               what="the three requests counted")
