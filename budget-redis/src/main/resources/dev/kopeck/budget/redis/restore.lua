-- RESTORE. ARGV: 1 prefix, 2 scope, 3 day id, 4 week id, 5 month id, 6 spent. Sets the current
-- period's spending (a ledger rebuilt from its spend log); limits and open reservations stay.
local k = scopeKey(ARGV[1], ARGV[2])
local v = redis.call('HMGET', k, 'limit', 'period')
local _, pid = current(v, ARGV[3], ARGV[4], ARGV[5])
redis.call('HSET', k, 's:' .. pid, ARGV[6])
return pid
