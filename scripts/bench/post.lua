wrk.method = "POST"
wrk.body = wrk_body or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
done = function(summary, latency, requests)
  io.write(string.format("req/s %.1f p50 %.1f ms p95 %.1f ms p99 %.1f ms\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
