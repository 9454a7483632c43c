-- EXPIRE. KEYS[1] the expiry sorted set. ARGV: 1 now (ms), 2 prefix, 3 at most this many.
local p = ARGV[2]
local n = 0
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local rk = p .. ':req:' .. id
  if redis.call('HGET', rk, 'state') == 'reserved' then
    local amt = tonumber(redis.call('HGET', rk, 'amount'))
    for k in string.gmatch(redis.call('HGET', rk, 'keys'), '[^\n]+') do
      redis.call('HINCRBY', k, 'reserved', -amt)
    end
    redis.call('HSET', rk, 'state', 'expired')
    n = n + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return n
