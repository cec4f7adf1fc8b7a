-- wrk script for million.sh's fill: asks for every page /post/<n>, n in [FIRST, FIRST + COUNT), exactly once and
-- in order, each wrk thread taking one contiguous slice. A thread whose slice is all asked for sends
-- /__bench/idle (a pass route the origin answers 204 at once) until every page of its slice has been answered,
-- then stops itself and creates the file DONE_DIR/fill-done-<thread>. wrk itself only ends after -d (its main
-- thread sleeps that long), so million.sh waits for one such file per thread and then sends wrk SIGINT, on which
-- wrk stops, reports the real duration and runs done().
--
-- Environment: COUNT (pages), FIRST (0), THREADS (must equal wrk -t), KEY_WIDTH (digits of n, zero-padded),
-- DONE_DIR, LOAD_DIR (this directory, for report.lua). done() prints report.lua's RESULT line, then
-- "FILL answered=N not200=M" (pages answered, of which not 200).
local count = assert(tonumber(os.getenv("COUNT")), "COUNT is not set")
local first = tonumber(os.getenv("FIRST") or "0")
local nthreads = tonumber(os.getenv("THREADS") or "1")
local fmt = "/post/%0" .. (os.getenv("KEY_WIDTH") or "7") .. "d"
local done_dir = assert(os.getenv("DONE_DIR"), "DONE_DIR is not set")
dofile((os.getenv("LOAD_DIR") or ".") .. "/report.lua")
local report = done

local threads = {}

setup = function(thread)
  local i = #threads
  table.insert(threads, thread)
  local per = math.floor(count / nthreads)
  local lo = first + i * per
  local hi = lo + per
  if i == nthreads - 1 then hi = first + count end
  thread:set("index", i)
  thread:set("lo", lo)
  thread:set("hi", hi)
  -- wrk 4 calls request() once in thread 0's state before any connection, to count pipelined requests
  -- (script_verify_request): that call must not use up a page
  thread:set("verify_call", i == 0)
end

local next_key, wanted, idle
answered, not200 = 0, 0 -- globals: done() reads them with thread:get

init = function(args)
  next_key, wanted, answered, not200 = lo, hi - lo, 0, 0
  idle = wrk.format("GET", "/__bench/idle")
end

request = function()
  if verify_call then
    verify_call = false
    return wrk.format("GET", string.format(fmt, lo))
  end
  if next_key < hi then
    local k = next_key
    next_key = k + 1
    return wrk.format("GET", string.format(fmt, k))
  end
  return idle
end

response = function(status, headers, body)
  if status == 204 then return end
  answered = answered + 1
  if status ~= 200 then not200 = not200 + 1 end
  if answered == wanted then
    io.open(done_dir .. "/fill-done-" .. index, "w"):close()
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  report(summary, latency, requests)
  local a, n = 0, 0
  for _, t in ipairs(threads) do
    a = a + (t:get("answered") or 0)
    n = n + (t:get("not200") or 0)
  end
  io.write(string.format("FILL answered=%d not200=%d\n", a, n))
end
