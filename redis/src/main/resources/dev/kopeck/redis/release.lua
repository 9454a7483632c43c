-- RELEASE. KEYS[1] the request's hash, KEYS[2] the expiry sorted set. ARGV: 1 request id, 2 retention (ms).
if redis.call('HGET', KEYS[1], 'state') ~= 'reserved' then return 0 end
local amount = tonumber(redis.call('HGET', KEYS[1], 'amount'))
for k in string.gmatch(redis.call('HGET', KEYS[1], 'keys'), '[^\n]+') do
  redis.call('HINCRBY', k, 'reserved', -amount)
end
redis.call('HSET', KEYS[1], 'state', 'released')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
