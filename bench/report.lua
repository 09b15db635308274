-- wrk reporter: after wrk's normal output, prints one machine-readable line
-- so the bench scripts need not parse wrk's human-oriented units.
--   BENCH requests=N duration_us=N rps=F p50_us=N p90_us=N p99_us=N max_us=N
--         bytes=N connect_err=N read_err=N write_err=N status_err=N timeout_err=N
-- status_err is wrk's count of responses whose status was not 2xx or 3xx.
-- Only done() is defined: a response() callback would slow wrk down.

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
