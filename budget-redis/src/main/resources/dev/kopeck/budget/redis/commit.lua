-- COMMIT. KEYS[1] the request's record, KEYS[2] the expiry sorted set, KEYS[3] the ledger's marker.
-- ARGV: 1 request id, 2 actual, 3 retention (ms), 4 prefix, 5.. thresholds (percent).
-- Never refused for a limit: the actual cost replaces the reservation (or, if it expired or was
-- released, is added on its own). Every scope is checked before any is changed: a total past MAX
-- changes nothing. Thresholds crossed for the first time in the period are returned, once; they
-- are measured against each scope's limit as it was when reserved (kept in the record).
-- Answers: {'ok', late, held, amount, crossed...}, {'replay', actual, amount}, {'unknown'}, {'conflict'},
-- {'wiped'}, {'overflow', scope}.
if redis.call('EXISTS', KEYS[3]) == 0 then return {'wiped'} end
local s = redis.call('GET', KEYS[1])
if not s then return {'unknown'} end
local f = fields(s)
local st = f[1]
local actual = ARGV[2]
if st == 'refused' then return {'unknown'} end
if st == 'committed' then
  if f[4] ~= actual then return {'conflict'} end
  return {'replay', f[4], f[2]}
end
local p = ARGV[4]
local held = (st == 'reserved') and f[2] or '0'
local after = {}
for i = FIRST_SCOPE, #f, 3 do
  local v = redis.call('HMGET', scopeKey(p, f[i]), 's:' .. f[i + 1], 'r:' .. f[i + 1])
  local spent, reserved = v[1] or '0', v[2] or '0'
  if small(spent, reserved, actual, '0') then
    after[#after + 1] = tonumber(spent) + tonumber(actual) -- a number: no total can overflow here
  else
    local s2 = add(spent, actual)
    if gt(s2, MAX) or gt(add(sub(add(spent, reserved), held), actual), MAX) then return {'overflow', f[i]} end
    after[#after + 1] = s2
  end
end
local out = {'ok', (st == 'expired') and '1' or '0', held, f[2]}
local j = 0
for i = FIRST_SCOPE, #f, 3 do
  j = j + 1
  local scope, pid, lim = f[i], f[i + 1], f[i + 2]
  local k = scopeKey(p, scope)
  if held ~= '0' then redis.call('HINCRBY', k, 'r:' .. pid, neg(held)) end
  redis.call('HINCRBY', k, 's:' .. pid, actual)
  local spent = after[j]
  if type(spent) == 'number' then spent = str(spent) end
  if lim ~= '0' and string.sub(lim, 1, 1) ~= '-' then
    -- in doubles first, a millionth short of the threshold: most commits are far below it, and
    -- only those near it pay for the exact comparison
    local ratio = tonumber(spent) * 100 / tonumber(lim)
    for t = 5, #ARGV do
      if ratio >= tonumber(ARGV[t]) * (1 - 1e-6) and not gt(mul(lim, tonumber(ARGV[t])), mul(spent, 100))
          and redis.call('HSETNX', k, 'f:' .. pid .. ':' .. ARGV[t], 1) == 1 then
        out[#out + 1] = scope
        out[#out + 1] = pid
        out[#out + 1] = ARGV[t]
        out[#out + 1] = spent
        out[#out + 1] = lim
      end
    end
  end
end
f[1] = 'committed'
f[4] = actual
redis.call('SET', KEYS[1], record(f), 'PX', ARGV[3])
if st == 'reserved' then redis.call('ZREM', KEYS[2], ARGV[1]) end
return out
