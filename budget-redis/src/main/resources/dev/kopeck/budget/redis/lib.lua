-- Shared by every script (prepended to each when loaded).
-- A request's record is one string: fields each ended by '\n': state, amount, expires (ms), actual,
-- then per scope: name, period id, limit when reserved. One string lets SET write it and its expiry
-- in one call, and SET ... NX GET test-and-write it in one.
local function fields(s)
  local f = {}
  for x in string.gmatch(s, '([^\n]*)\n') do f[#f + 1] = x end
  return f
end

local function record(f)
  return table.concat(f, '\n') .. '\n'
end

-- Whether a record is an open reservation.
local function isOpen(s)
  return string.sub(s, 1, 9) == 'reserved\n'
end

-- The hash of a scope: its limit, period and the usage of each period.
local function scopeKey(p, scope)
  return p .. ':scope:' .. scope
end

-- Gives an open reservation's money back to its scopes and marks it `st`; it expires in `px` ms
-- (nil: when it would have).
local function unreserve(p, rk, f, st, px)
  local amt = -tonumber(f[2])
  for i = 5, #f, 3 do
    redis.call('HINCRBY', scopeKey(p, f[i]), 'r:' .. f[i + 1], amt)
  end
  f[1] = st
  if px then redis.call('SET', rk, record(f), 'PX', px) else redis.call('SET', rk, record(f), 'KEEPTTL') end
end

-- Expires up to `max` reservations due by `now` (ms): their money goes back. Returns how many.
local function sweep(zk, p, now, max)
  local ids = redis.call('ZRANGEBYSCORE', zk, '-inf', now, 'LIMIT', 0, max)
  if #ids == 0 then return 0 end
  local n = 0
  for _, id in ipairs(ids) do
    local rk = p .. ':req:' .. id
    local s = redis.call('GET', rk)
    if s and isOpen(s) then
      unreserve(p, rk, fields(s), 'expired')
      n = n + 1
    end
  end
  redis.call('ZREM', zk, unpack(ids))
  return n
end

-- The fields of a scope's hash for the current period: limit, period, then spent and reserved of
-- each period kind (the client does not know which kind the scope has).
local function usage(p, scope, day, week, month)
  return redis.call('HMGET', scopeKey(p, scope), 'limit', 'period', 's:all', 'r:all',
    's:' .. day, 'r:' .. day, 's:' .. week, 'r:' .. week, 's:' .. month, 'r:' .. month)
end

-- From usage(): the period, its id, spent and reserved.
local function current(v, day, week, month)
  local period = v[2] or 'none'
  if period == 'day' then return period, day, v[5], v[6]
  elseif period == 'week' then return period, week, v[7], v[8]
  elseif period == 'month' then return period, month, v[9], v[10] end
  return 'none', 'all', v[3], v[4]
end
