-- COMMIT. KEYS[1] the request's record, KEYS[2] the expiry sorted set.
-- ARGV: 1 request id, 2 actual, 3 retention (ms), 4 prefix, 5.. thresholds (percent).
-- Never refused: the actual cost replaces the reservation (or, if it expired or was released, is
-- added on its own). Thresholds crossed for the first time in the period are returned, once; they are
-- measured against each scope's limit as it was when reserved (kept in the record).
local s = redis.call('GET', KEYS[1])
if not s then return {'unknown'} end
local f = fields(s)
local st = f[1]
if st == 'committed' then
  return {'replay', f[4], f[2]}
end
local p = ARGV[4]
local actual = ARGV[2]
local back = -tonumber(f[2])
local out = {'ok', f[2]}
for i = 5, #f, 3 do
  local scope, pid = f[i], f[i + 1]
  local k = scopeKey(p, scope)
  if st == 'reserved' then redis.call('HINCRBY', k, 'r:' .. pid, back) end
  local spent = redis.call('HINCRBY', k, 's:' .. pid, actual)
  local limit = tonumber(f[i + 2])
  if limit > 0 then
    for t = 5, #ARGV do
      local pct = tonumber(ARGV[t])
      if spent * 100 >= pct * limit and redis.call('HSETNX', k, 'f:' .. pid .. ':' .. ARGV[t], 1) == 1 then
        out[#out + 1] = scope
        out[#out + 1] = pid
        out[#out + 1] = ARGV[t]
        out[#out + 1] = string.format('%.0f', spent)
        out[#out + 1] = string.format('%.0f', limit)
      end
    end
  end
end
f[1] = 'committed'
f[4] = actual
redis.call('SET', KEYS[1], record(f), 'PX', ARGV[3])
if st == 'reserved' then redis.call('ZREM', KEYS[2], ARGV[1]) end
return out
