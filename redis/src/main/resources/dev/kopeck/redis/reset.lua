-- RESET. ARGV: 1 prefix, 2 scope, 3 day id, 4 week id, 5 month id. Forgets the current period's spending.
local p = ARGV[1]
local period = redis.call('HGET', p .. ':limit:' .. ARGV[2], 'period') or 'none'
local pid = 'all'
if period == 'day' then pid = ARGV[3] elseif period == 'week' then pid = ARGV[4] elseif period == 'month' then pid = ARGV[5] end
return redis.call('DEL', p .. ':used:' .. ARGV[2] .. ':' .. pid)
