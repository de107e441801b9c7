-- wrk script for tests/bench/payg.ts: each request is a pay-as-you-go chat
-- completion with a random key (read from BENCH_KEYS_FILE) as its Bearer token.
local keys = {}
for line in io.lines(os.getenv("BENCH_KEYS_FILE")) do keys[#keys + 1] = line end
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
end

local body = os.getenv("BENCH_BODY")

function request()
  return wrk.format("POST", nil, { ["authorization"] = "Bearer " .. keys[math.random(#keys)], ["content-type"] = "application/json" }, body)
end
