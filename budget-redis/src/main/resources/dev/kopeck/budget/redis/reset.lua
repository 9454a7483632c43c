-- RESET. ARGV: 1 prefix, 2 scope, 3 day id, 4 week id, 5 month id. Forgets the current period's
-- spending and the thresholds told; open reservations stay reserved (they hold money until
-- committed, released or expired).
local k = scopeKey(ARGV[1], ARGV[2])
local v = redis.call('HMGET', k, 'limit', 'period')
local _, pid = current(v, ARGV[3], ARGV[4], ARGV[5])
local told = 'f:' .. pid .. ':'
local gone = {'s:' .. pid}
for _, field in ipairs(redis.call('HKEYS', k)) do
  if string.sub(field, 1, #told) == told then gone[#gone + 1] = field end
end
return redis.call('HDEL', k, unpack(gone))
