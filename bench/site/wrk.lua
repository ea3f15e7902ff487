-- wrk.lua: prints one machine-readable line after a wrk run, for bench/site/run.sh:
--   WRK requests duration_us bytes p50_us p99_us socket_errors non_2xx_3xx
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("WRK %d %d %d %d %d %d %d\n",
		summary.requests, summary.duration, summary.bytes,
		latency:percentile(50), latency:percentile(99),
		e.connect + e.read + e.write + e.timeout, e.status))
end
