-- RESERVE. KEYS[1] the request's hash, KEYS[2] the expiry sorted set.
-- ARGV: 1 request id, 2 amount, 3 now (ms), 4 expires at (ms), 5 retention (ms), 6 prefix, 7 n scopes,
--       then per scope: name, day id, week id, month id.
-- Sweeps up to 20 expired reservations first, so abandoned money comes back without a timer.
local p = ARGV[6]
local now = ARGV[3]
local swept = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 20)
for _, id in ipairs(swept) do
  local rk = p .. ':req:' .. id
  if redis.call('HGET', rk, 'state') == 'reserved' then
    local amt = redis.call('HGET', rk, 'amount')
    for k in string.gmatch(redis.call('HGET', rk, 'keys'), '[^\n]+') do
      redis.call('HINCRBY', k, 'reserved', -tonumber(amt))
    end
    redis.call('HSET', rk, 'state', 'expired')
  end
  redis.call('ZREM', KEYS[2], id)
end
local state = redis.call('HGET', KEYS[1], 'state')
if state then
  return {'replay', redis.call('HGET', KEYS[1], 'amount'), redis.call('HGET', KEYS[1], 'expires')}
end
local amount = tonumber(ARGV[2])
local n = tonumber(ARGV[7])
local keys = {}
local scopes = {}
local limits = {}
for i = 1, n do
  local base = 7 + (i - 1) * 4
  local scope = ARGV[base + 1]
  local lim = redis.call('HMGET', p .. ':limit:' .. scope, 'limit', 'period')
  local limit = tonumber(lim[1] or '-1')
  local period = lim[2] or 'none'
  local pid = 'all'
  if period == 'day' then pid = ARGV[base + 2] elseif period == 'week' then pid = ARGV[base + 3]
  elseif period == 'month' then pid = ARGV[base + 4] end
  local uk = p .. ':used:' .. scope .. ':' .. pid
  keys[i] = uk
  scopes[i] = scope
  limits[i] = lim[1] or '-1'
  if limit >= 0 then
    local v = redis.call('HMGET', uk, 'spent', 'reserved')
    local used = tonumber(v[1] or '0') + tonumber(v[2] or '0')
    if used + amount > limit then
      return {'refused', tostring(i), string.format('%.0f', limit), string.format('%.0f', limit - used), pid}
    end
  end
end
for i = 1, n do
  redis.call('HINCRBY', keys[i], 'reserved', ARGV[2])
end
redis.call('HSET', KEYS[1], 'state', 'reserved', 'amount', ARGV[2], 'keys', table.concat(keys, '\n'),
  'scopes', table.concat(scopes, '\n'), 'limits', table.concat(limits, '\n'), 'expires', ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) - tonumber(now) + tonumber(ARGV[5]))
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return {'ok'}
