-- wrk script for million.sh's read runs: GET /post/<n> with n drawn from [0, KEYS)
--   DIST=uniform  every page equally likely (also the hot run: KEYS = the hot set's size)
--   DIST=zipf     Zipfian with exponent ZIPF_S over ranks 1..KEYS (rank r is asked for in proportion to 1/r^s),
--                 scrambled: rank r is page ((r - 1) * A) mod KEYS with A coprime to KEYS near 0.618 KEYS, so
--                 popular pages are spread over the key space (and over the fill order), as in YCSB.
-- The sampler is rejection-inversion (Hormann and Derflinger 1996, as in Apache Commons RNG's
-- RejectionInversionZipfSampler): O(1) per key, no table, exact for any s > 0, s = 1 included.
--
-- With CHECK_HITS=1 (the default) every answer's Cache-Status must contain "hit" (RFC 9211), and done() prints
-- "CHECK checked=N nonhits=M" after report.lua's RESULT line. CHECK_HITS=0 skips it (wrk then does not parse
-- the response headers in Lua, which costs it some CPU).
-- Environment: KEYS, DIST, ZIPF_S (1.0), KEY_WIDTH (7), CHECK_HITS, ACCEPT_ENCODING (sent when set), LOAD_DIR.
local keys = assert(tonumber(os.getenv("KEYS")), "KEYS is not set")
local dist = os.getenv("DIST") or "uniform"
local s = tonumber(os.getenv("ZIPF_S") or "1.0")
local fmt = "/post/%0" .. (os.getenv("KEY_WIDTH") or "7") .. "d"
local check = (os.getenv("CHECK_HITS") or "1") == "1"
local encoding = os.getenv("ACCEPT_ENCODING") or ""
assert(dist == "uniform" or dist == "zipf", "DIST must be uniform or zipf")
if encoding ~= "" then wrk.headers["Accept-Encoding"] = encoding end
dofile((os.getenv("LOAD_DIR") or ".") .. "/report.lua")
local report = done

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

-- Zipf sampler (rejection-inversion); log1p/expm1 written out: LuaJIT has neither, and the series below covers
-- the arguments near 0 where the plain formulas would lose precision.
local function helper1(x) -- log(1 + x) / x
  if math.abs(x) > 1e-8 then return math.log(1 + x) / x end
  return 1 - x * (0.5 - x * (1 / 3 - 0.25 * x))
end
local function helper2(x) -- (exp(x) - 1) / x
  if math.abs(x) > 1e-8 then return (math.exp(x) - 1) / x end
  return 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x))
end
local function h(x) return math.exp(-s * math.log(x)) end
local function hIntegral(x)
  local logX = math.log(x)
  return helper2((1 - s) * logX) * logX
end
local function hIntegralInverse(x)
  local t = x * (1 - s)
  if t < -1 then t = -1 end
  return math.exp(helper1(t) * x)
end
local hX1 = hIntegral(1.5) - 1
local hN = hIntegral(keys + 0.5)
local sCut = 2 - hIntegralInverse(hIntegral(2.5) - h(2))

local function zipfRank() -- 1..keys
  while true do
    local u = hN + math.random() * (hX1 - hN)
    local x = hIntegralInverse(u)
    local k = math.floor(x + 0.5)
    if k < 1 then k = 1 elseif k > keys then k = keys end
    if k - x <= sCut or u >= hIntegral(k + 0.5) - h(k) then return k end
  end
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a % b end
  return a
end
local stride = math.floor(keys * 0.6180339887) + 1
while gcd(stride, keys) ~= 1 do stride = stride + 1 end
-- (keys - 1) * stride must stay below 2^53 for the modulo to be exact: fine up to about 90 million keys
assert((keys - 1) * stride < 2 ^ 53, "KEYS too large for the scramble")

checked, nonhits = 0, 0 -- globals: done() reads them with thread:get

init = function(args)
  math.randomseed(os.time() * 1000 + (seed or 0) * 7919)
  -- LuaJIT's first draws after a seed are correlated with it: discard a few
  for _ = 1, 10 do math.random() end
end

request = function()
  local n
  if dist == "zipf" then
    n = ((zipfRank() - 1) * stride) % keys
  else
    n = math.random(0, keys - 1)
  end
  return wrk.format("GET", string.format(fmt, n))
end

if check then
  response = function(status, headers, body)
    checked = checked + 1
    local cs = headers["cache-status"] or headers["Cache-Status"]
    if status ~= 200 or not cs or not string.find(cs, "hit", 1, true) then nonhits = nonhits + 1 end
  end
end

done = function(summary, latency, requests)
  report(summary, latency, requests)
  local c, n = 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("checked") or 0)
    n = n + (t:get("nonhits") or 0)
  end
  io.write(string.format("CHECK checked=%d nonhits=%d\n", c, n))
end
