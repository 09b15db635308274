-- wrk script: POST /v4/linode/instances with bodies that vary region and tags, so that the
-- later list benchmark filters over a mix. Reports through report.lua's done().
local regions = {"us-east", "us-central", "eu-west", "ap-south"}
local n = 0
request = function()
   n = n + 1
   local body = string.format(
      '{"type":"g6-nanode-1","region":"%s","image":"linode/debian12",' ..
      '"root_pass":"q8w2k5m1z9x4c7v3","booted":true,"tags":["bench-%d"]}',
      regions[n % #regions + 1], n % 10)
   return wrk.format("POST", "/v4/linode/instances", nil, body)
end
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "bytes=%d connect_err=%d read_err=%d write_err=%d status_err=%d timeout_err=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
