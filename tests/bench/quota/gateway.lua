-- wrk script for tests/bench/gateway.ts: streamed chat completions with a
-- random key, every other one a new prompt (BENCH_NEW_BODY) and the rest a
-- continuation (BENCH_CONT_BODY, its @ID@ the tool call the gateway returned
-- to that key in the set-up). Lines of BENCH_KEYS_FILE: key TAB tool call id.
-- Counts the answers by what they hold (a 200 with a tool call answered a new
-- prompt, any other 200 a continuation; a refusal naming 1302) and writes the
-- sums to BENCH_COUNTS_FILE as JSON when the run is done.
local keys, ids = {}, {}
for line in io.lines(os.getenv("BENCH_KEYS_FILE")) do
  local key, id = line:match("^(%S+)\t(%S+)$")
  keys[#keys + 1] = key
  ids[#ids + 1] = id
end
local new_body = os.getenv("BENCH_NEW_BODY")
local cont_body = os.getenv("BENCH_CONT_BODY")
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

-- Globals, so that done() can read them from each thread.
new_ok, cont_ok, busy, other = 0, 0, 0, 0
local n = 0

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
end

function request()
  n = n + 1
  local i = math.random(#keys)
  local body = n % 2 == 0 and new_body or cont_body:gsub("@ID@", ids[i])
  return wrk.format("POST", nil, { ["authorization"] = "Bearer " .. keys[i], ["content-type"] = "application/json", ["user-agent"] = "opencode/1.0" }, body)
end

function response(status, headers, body)
  if status == 200 then
    if body:find('"tool_calls":[', 1, true) then new_ok = new_ok + 1 else cont_ok = cont_ok + 1 end
  elseif body:find('"1302"', 1, true) then
    busy = busy + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local sums = { new_ok = 0, cont_ok = 0, busy = 0, other = 0 }
  for _, t in ipairs(threads) do
    for k in pairs(sums) do sums[k] = sums[k] + t:get(k) end
  end
  local f = io.open(os.getenv("BENCH_COUNTS_FILE"), "w")
  f:write(string.format('{"newOk":%d,"contOk":%d,"busy":%d,"other":%d}', sums.new_ok, sums.cont_ok, sums.busy, sums.other))
  f:close()
end
