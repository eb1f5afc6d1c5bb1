-- GET of the public pages: the city and each of its 40 communes in turn, in Vietnamese;
-- prints requests/s and p50/p95/p99 at the end.
local paths = { "/public", "/public/units/HUE", "/public/units/HUE?page=2" }
for i = 1, 40 do paths[#paths + 1] = string.format("/public/units/HUE-X%02d", i) end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("req/s %.1f p50 %.1f ms p95 %.1f ms p99 %.1f ms errors %d non2xx %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
