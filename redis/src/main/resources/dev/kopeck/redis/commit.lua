-- COMMIT. KEYS[1] the request's hash, KEYS[2] the expiry sorted set.
-- ARGV: 1 request id, 2 actual, 3 retention (ms), 4 prefix, 5.. thresholds (percent).
-- Never refused: the actual cost replaces the reservation (or, if it expired or was released, is
-- added on its own). Thresholds crossed for the first time in the period are returned, once; they are
-- measured against each scope's limit as it was when reserved (stored with the request).
local r = redis.call('HMGET', KEYS[1], 'state', 'amount', 'actual', 'keys', 'scopes', 'limits')
local st = r[1]
if not st then return {'unknown'} end
if st == 'committed' then
  return {'replay', r[3], r[2]}
end
local p = ARGV[4]
local amount = r[2]
local actual = ARGV[2]
local keys = {}
for k in string.gmatch(r[4], '[^\n]+') do keys[#keys + 1] = k end
local scopes = {}
for s in string.gmatch(r[5], '[^\n]+') do scopes[#scopes + 1] = s end
local limits = {}
for l in string.gmatch(r[6] or '', '[^\n]+') do limits[#limits + 1] = l end
local out = {'ok', amount}
for i, k in ipairs(keys) do
  if st == 'reserved' then redis.call('HINCRBY', k, 'reserved', -tonumber(amount)) end
  local spent = redis.call('HINCRBY', k, 'spent', actual)
  -- thresholds are checked against the limit as reserved (read again only for reservations older than that field)
  local limit = tonumber(limits[i] or redis.call('HGET', p .. ':limit:' .. scopes[i], 'limit') or '-1')
  if limit > 0 then
    for t = 5, #ARGV do
      local pct = tonumber(ARGV[t])
      if spent * 100 >= pct * limit and redis.call('HSETNX', k, 'fired:' .. ARGV[t], 1) == 1 then
        local pid = string.sub(k, string.len(p .. ':used:' .. scopes[i] .. ':') + 1)
        out[#out + 1] = scopes[i]
        out[#out + 1] = pid
        out[#out + 1] = ARGV[t]
        out[#out + 1] = string.format('%.0f', spent)
        out[#out + 1] = string.format('%.0f', limit)
      end
    end
  end
end
redis.call('HSET', KEYS[1], 'state', 'committed', 'actual', actual)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return out
