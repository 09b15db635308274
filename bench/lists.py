#!/usr/bin/python3
"""Computed list pages: before each GET one Linode's label changes, which moves the account's
list version on, so every timed request computes its page (no kept answer). Prints p50, p90 and
the largest of REPS requests per filter, for the first page and for page 20.

    /usr/bin/python3 bench/lists.py PORT TOKEN [REPS]

Run it against a linnetd that holds the Linodes to measure (bench/linodes.sh's create.lua
makes them: four regions, tags bench-0..9)."""
import http.client
import json
import statistics
import sys
import time

FILTERS = {
    "region": {"region": "us-east"},
    "region+tag": {"+and": [{"region": "us-east"}, {"tags": "bench-4"}]},
    "region+tag by label": {"+and": [{"region": "us-east"}, {"tags": "bench-4"}],
                            "+order_by": "label", "+order": "desc"},
    "region by label": {"region": "us-east", "+order_by": "label", "+order": "desc"},
    "tag": {"tags": "bench-4"},
    "every Linode by label": {"+order_by": "label"},
    "label contains (counted from rows)": {"label": {"+contains": "linode1"}},
}


def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(method, path, body=None, extra=None):
        conn.request(method, path, body=body, headers={**headers, **(extra or {})})
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data)

    linode = call("GET", "/v4/linode/instances?page_size=25")["data"][0]["id"]
    print(f"| filter | page | results | p50 ms | p90 ms | max ms |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, flt in FILTERS.items():
        for page in (1, 20):
            times = []
            for i in range(reps):
                call("PUT", f"/v4/linode/instances/{linode}",
                     json.dumps({"label": f"bench-lists-{page}-{i}"}))
                start = time.perf_counter()
                body = call("GET", f"/v4/linode/instances?page_size=100&page={page}",
                            extra={"X-Filter": json.dumps(flt)})
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(f"| {name} | {page} | {body['results']} | {statistics.median(times):.2f} | "
                  f"{times[int(len(times) * 0.9)]:.2f} | {times[-1]:.2f} |")


if __name__ == "__main__":
    main()
