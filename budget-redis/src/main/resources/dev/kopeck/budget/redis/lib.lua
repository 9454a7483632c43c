-- Shared by every script (prepended to each when loaded).
-- Amounts are nano-units, kept as decimal strings: Redis stores them as 64-bit integers and
-- HINCRBY adds them exactly, but Lua's numbers are doubles, exact only to 2^53. So Lua never does
-- arithmetic on a whole amount: it splits one into the digits above and the nine below 10^9, each
-- exact in a double, and compares, adds and subtracts those (up to 2^63 - 1, MAX).
local BASE = 1000000000
local MAX = '9223372036854775807'

local function split(s)
  local n = #s
  if n <= 9 then return 0, tonumber(s) end
  return tonumber(string.sub(s, 1, n - 9)), tonumber(string.sub(s, n - 8))
end

local function join(hi, lo)
  if hi == 0 then return string.format('%d', lo) end
  return string.format('%d%09d', hi, lo)
end

-- a + b, both non-negative.
local function add(a, b)
  local ah, al = split(a)
  local bh, bl = split(b)
  local l, h = al + bl, ah + bh
  if l >= BASE then l, h = l - BASE, h + 1 end
  return join(h, l)
end

-- a - b, for a >= b >= 0.
local function sub(a, b)
  local ah, al = split(a)
  local bh, bl = split(b)
  local l, h = al - bl, ah - bh
  if l < 0 then l, h = l + BASE, h - 1 end
  return join(h, l)
end

-- a > b, both non-negative, without leading zeros (as Redis writes integers).
local function gt(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end

-- a * k for a small positive integer k (a percentage): exact, even past MAX.
local function mul(a, k)
  local h, l = split(a)
  h, l = h * k, l * k
  local carry = math.floor(l / BASE)
  return join(h + carry, l - carry * BASE)
end

-- Whether every one of the (non-negative) amounts has at most 15 digits: their sums are then
-- exact in a double (under 2^53), and the split arithmetic above is not needed. Nearly always true:
-- 10^15 nano-units is a million currency units.
local function small(a, b, c, d)
  return #a <= 15 and #b <= 15 and #c <= 15 and #d <= 15
end

-- A whole number below 2^53 held in a double, as Redis writes integers.
local function str(x)
  return string.format('%.0f', x)
end

-- -a as HINCRBY takes it (never "-0").
local function neg(a)
  if a == '0' then return '0' end
  return '-' .. a
end

-- A request's record is one string: fields each ended by '\n': 1 state, 2 amount, 3 expires (ms),
-- 4 actual, 5 the scopes' names sorted and joined by \1 (a retry is recognised whatever its order),
-- 6-8 a refusal (the scope's position, its limit, what it had used), then per scope: name, period
-- id, limit when reserved. One string lets SET write it and its expiry in one call.
local function fields(s)
  local f = {}
  for x in string.gmatch(s, '([^\n]*)\n') do f[#f + 1] = x end
  return f
end

local function record(f)
  return table.concat(f, '\n') .. '\n'
end

local FIRST_SCOPE = 9

-- Whether a record is an open reservation.
local function isOpen(s)
  return string.sub(s, 1, 9) == 'reserved\n'
end

-- The hash of a scope: its limit, period, zone, currency and the usage of each period.
local function scopeKey(p, scope)
  return p .. ':scope:' .. scope
end

-- Gives an open reservation's money back to its scopes and marks it `st`; remembered for `px` ms.
local function unreserve(p, rk, f, st, px)
  local amt = neg(f[2])
  for i = FIRST_SCOPE, #f, 3 do
    redis.call('HINCRBY', scopeKey(p, f[i]), 'r:' .. f[i + 1], amt)
  end
  f[1] = st
  redis.call('SET', rk, record(f), 'PX', px)
end

-- Expires up to `max` reservations due by `now` (ms): their money goes back, and their record is
-- kept for `px` ms more (the idempotency window). Returns how many.
local function sweep(zk, p, now, max, px)
  local ids = redis.call('ZRANGEBYSCORE', zk, '-inf', now, 'LIMIT', 0, max)
  if #ids == 0 then return 0 end
  local n = 0
  for _, id in ipairs(ids) do
    local rk = p .. ':req:' .. id
    local s = redis.call('GET', rk)
    if s and isOpen(s) then
      unreserve(p, rk, fields(s), 'expired', px)
      n = n + 1
    end
  end
  redis.call('ZREM', zk, unpack(ids))
  return n
end

-- The fields of a scope's hash for the current period: limit, period, zone, then spent and
-- reserved of each period kind (the client does not know which kind the scope has).
local function usage(p, scope, day, week, month)
  return redis.call('HMGET', scopeKey(p, scope), 'limit', 'period', 'zone', 's:all', 'r:all',
    's:' .. day, 'r:' .. day, 's:' .. week, 'r:' .. week, 's:' .. month, 'r:' .. month)
end

-- From usage(): the period, its id, spent and reserved.
local function current(v, day, week, month)
  local period = v[2] or 'none'
  if period == 'day' then return period, day, v[6] or '0', v[7] or '0'
  elseif period == 'week' then return period, week, v[8] or '0', v[9] or '0'
  elseif period == 'month' then return period, month, v[10] or '0', v[11] or '0' end
  return 'none', 'all', v[4] or '0', v[5] or '0'
end
