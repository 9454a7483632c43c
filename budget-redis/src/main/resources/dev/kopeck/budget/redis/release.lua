-- RELEASE. KEYS[1] the request's record, KEYS[2] the expiry sorted set. ARGV: 1 request id, 2 retention (ms), 3 prefix.
local s = redis.call('GET', KEYS[1])
if not s or not isOpen(s) then return 0 end
unreserve(ARGV[3], KEYS[1], fields(s), 'released', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
