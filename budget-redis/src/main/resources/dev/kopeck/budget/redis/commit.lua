-- COMMIT. KEYS[1] the request's record, KEYS[2] the expiry sorted set, KEYS[3] the ledger's marker.
-- ARGV: 1 request id, 2 actual, 3 retention (ms), 4 prefix, 5.. thresholds (percent).
-- Never refused for a limit: the actual cost replaces the reservation (or, if it expired or was
-- released, is added on its own). All scopes or none: HINCRBY refuses a total past 2^63 - 1 and
-- changes nothing then, and the scopes already charged are given back. Thresholds crossed for the
-- first time in the period are returned, once; they are measured against each scope's limit as it
-- was when reserved (kept in the record).
-- Answers: {'ok', late, held, amount, crossed...}, {'replay', actual, amount}, {'unknown'},
-- {'conflict'}, {'wiped'}, {'overflow', scope}.
local s = redis.call('GET', KEYS[1])
if not s then
  if redis.call('EXISTS', KEYS[3]) == 0 then return {'wiped'} end
  return {'unknown'}
end
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
local charged = {}
for i = FIRST_SCOPE, #f, 3 do
  local k, field = scopeKey(p, f[i]), 's:' .. f[i + 1]
  local now = redis.pcall('HINCRBY', k, field, actual)
  if type(now) == 'table' then
    for _, c in ipairs(charged) do redis.call('HINCRBY', c[1], c[2], neg(actual)) end
    return {'overflow', f[i]}
  end
  charged[#charged + 1] = {k, field, now}
end
local out = {'ok', (st == 'expired') and '1' or '0', held, f[2]}
local j = 0
for i = FIRST_SCOPE, #f, 3 do
  j = j + 1
  local scope, pid, lim = f[i], f[i + 1], f[i + 2]
  local k = charged[j][1]
  if held ~= '0' then redis.call('HINCRBY', k, 'r:' .. pid, neg(held)) end
  if lim ~= '0' and string.sub(lim, 1, 1) ~= '-' then
    -- in doubles first (HINCRBY's answer is one), a millionth short of the threshold: most commits
    -- are far below it, and only those near it read the exact total and compare it exactly
    local ratio = charged[j][3] * 100 / tonumber(lim)
    local spent
    for t = 5, #ARGV do
      if ratio >= tonumber(ARGV[t]) * (1 - 1e-6) then
        spent = spent or redis.call('HGET', k, charged[j][2])
        if not gt(mul(lim, tonumber(ARGV[t])), mul(spent, 100))
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
end
f[1] = 'committed'
f[4] = actual
redis.call('SET', KEYS[1], record(f), 'PX', ARGV[3])
if st == 'reserved' then redis.call('ZREM', KEYS[2], ARGV[1]) end
return out
