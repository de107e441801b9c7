-- wrk script for tests/bench/quota.ts: each request is a consume decision for
-- a random key (read from BENCH_KEYS_FILE) with a request id never used before.
local keys = {}
for line in io.lines(os.getenv("BENCH_KEYS_FILE")) do keys[#keys + 1] = line end
local run = os.getenv("BENCH_RUN") or "run"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  n = n + 1
  local body = '{"key":"' .. keys[math.random(#keys)] .. '","model":"glm-4.7","kind":"prompt","requestId":"' ..
    run .. "-" .. (tid or 0) .. "-" .. n .. '"}'
  return wrk.format("POST", nil, nil, body)
end
