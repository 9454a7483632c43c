-- RESERVE. KEYS[1] the request's record, KEYS[2] the expiry sorted set.
-- ARGV: 1 request id, 2 amount, 3 now (ms), 4 expires at (ms), 5 retention (ms), 6 prefix,
--       7 sweep at most this many expired reservations first (0: none), 8 n scopes,
--       then per scope: name, day id, week id, month id.
local p = ARGV[6]
-- A retry of a request already recorded: what it was granted.
local function replay(old)
  local f = fields(old)
  return {'replay', f[2], f[3]}
end
local sweepMax = tonumber(ARGV[7])
if sweepMax > 0 then sweep(KEYS[2], p, ARGV[3], sweepMax) end
local amount = tonumber(ARGV[2])
local n = tonumber(ARGV[8])
local rec = {'reserved', ARGV[2], ARGV[4], ''}
for i = 1, n do
  local b = 8 + (i - 1) * 4
  local scope = ARGV[b + 1]
  local v = usage(p, scope, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
  local _, pid, spent, reserved = current(v, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
  local lim = v[1] or '-1'
  local limit = tonumber(lim)
  if limit >= 0 then
    local used = tonumber(spent or '0') + tonumber(reserved or '0')
    if used + amount > limit then
      local old = redis.call('GET', KEYS[1])
      if old then return replay(old) end
      return {'refused', tostring(i), string.format('%.0f', limit), string.format('%.0f', limit - used), pid}
    end
  end
  rec[#rec + 1] = scope
  rec[#rec + 1] = pid
  rec[#rec + 1] = lim
end
local ms = tonumber(ARGV[4]) - tonumber(ARGV[3]) + tonumber(ARGV[5])
local old = redis.call('SET', KEYS[1], record(rec), 'PX', ms, 'NX', 'GET')
if old then return replay(old) end
for i = 5, #rec, 3 do
  redis.call('HINCRBY', scopeKey(p, rec[i]), 'r:' .. rec[i + 1], ARGV[2])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return {'ok'}
