-- wrk script for the benchmark: rotates through the endpoint's paths, sends
-- its method, headers and body, counts responses by status, and prints one
-- JSON line with the figures that run_bench.py reads.
--
-- Usage: wrk -s bench/wrk_report.lua URL -- CONFIG.lua
-- where CONFIG.lua returns {method=..., paths={...}, headers={...}, body=...}.

local config
local counter = 0
local threads = {}
statuses = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  config = dofile(args[1])
  counter = math.random(0, #config.paths - 1)
end

function request()
  counter = counter + 1
  local path = config.paths[(counter % #config.paths) + 1]
  return wrk.format(config.method, path, config.headers, config.body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses") or {}
    for code, n in pairs(seen) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
