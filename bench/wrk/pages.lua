-- One visitor kind on a list of pages: wrk -s pages.lua URL -- PATHS_FILE COOKIES_FILE
-- Every request goes to the next path of PATHS_FILE with what a browser behind the TLS proxy
-- sends: the proxy's X-Forwarded-Proto, Accept-Language, and the next visitor's Cookie header
-- from COOKIES_FILE (one visitor per line; an empty file is a first-time visitor, no cookie).
-- done() prints one JSON line for bench/harness.py.

local paths = {}
local cookies = {}
local counter = 0

local function read_lines(name, into)
  for line in io.lines(name) do
    if line ~= "" then into[#into + 1] = line end
  end
end

function init(args)
  read_lines(args[1], paths)
  if args[2] ~= nil then read_lines(args[2], cookies) end
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Accept-Language"] = "id"
  -- Threads start at different places of the list, so they do not march in step.
  counter = math.random(#paths) - 1
end

function request()
  counter = counter + 1
  if #cookies == 0 then
    return wrk.format("GET", paths[(counter % #paths) + 1])
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Cookie"] = cookies[(counter % #cookies) + 1]
  return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, ' ..
    '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
