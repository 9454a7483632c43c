-- RESERVE. KEYS[1] the request's record, KEYS[2] the expiry sorted set, KEYS[3] the ledger's marker.
-- ARGV: 1 request id, 2 amount, 3 now (ms), 4 expires at (ms), 5 retention (ms), 6 prefix,
--       7 sweep at most this many expired reservations first (0: none), 8 n scopes, 9 the scopes'
--       names sorted and joined by \1, 10 the caller's zone, then per scope: name, day id, week id, month id.
-- Answers: {'ok'}, {'replay', amount, expires}, {'refused', i, limit, used, period id},
-- {'conflict'}, {'wiped'}, {'zone', i, zone}, {'overflow', i}. A reserve about to be refused expires
-- up to 1,000 reservations past their TTL and looks again before it refuses.
local p = ARGV[6]
-- the marker is looked at only where a lost store would show: a scope without a limit
local markerSeen = false
local function wiped()
  if not markerSeen then
    if redis.call('EXISTS', KEYS[3]) == 0 then return true end
    markerSeen = true
  end
  return false
end
local sweepMax = tonumber(ARGV[7])
if sweepMax > 0 then sweep(KEYS[2], p, ARGV[3], sweepMax, ARGV[5]) end
local amount = ARGV[2]
local n = tonumber(ARGV[8])
local old = redis.call('GET', KEYS[1])
if old then
  local f = fields(old)
  if f[2] ~= amount or f[5] ~= ARGV[9] then return {'conflict'} end
  if f[1] == 'reserved' and tonumber(f[3]) <= tonumber(ARGV[3]) then -- past its TTL, not yet swept
    unreserve(p, KEYS[1], f, 'expired', ARGV[5])
    redis.call('ZREM', KEYS[2], ARGV[1])
  elseif f[1] == 'reserved' or f[1] == 'committed' then
    return {'replay', f[2], f[3]}
  end
  if f[1] == 'refused' then
    local i = tonumber(f[6])
    return {'refused', f[6], f[7], f[8], f[FIRST_SCOPE + (i - 1) * 3 + 1]}
  end
  -- released or expired: it holds nothing, so its retry reserves again
end
local rec = {'reserved', amount, ARGV[4], '', ARGV[9], '', '', ''}
-- Checks every scope; returns nil (rec then lists the scopes) or the refusal: scope i, its limit,
-- what it has used, its period id. Errors are answers of their own.
local function check()
  for j = #rec, FIRST_SCOPE, -1 do rec[j] = nil end
  for i = 1, n do
    local b = 10 + (i - 1) * 4
    local scope = ARGV[b + 1]
    local v = usage(p, scope, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
    if v[3] and v[3] ~= ARGV[10] then return {'zone', tostring(i), v[3]} end
    local _, pid, spent, reserved = current(v, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
    if not v[1] and wiped() then return {'wiped'} end
    local lim = v[1] or '-1'
    local limited = string.sub(lim, 1, 1) ~= '-'
    if small(spent, reserved, amount, lim) then
      local used = tonumber(spent) + tonumber(reserved)
      if limited and used + tonumber(amount) > tonumber(lim) then
        return {'refused', tostring(i), lim, str(used), pid}
      end
    else
      local used = add(spent, reserved)
      local total = add(used, amount)
      if gt(total, MAX) then return {'overflow', tostring(i)} end
      if limited and gt(total, lim) then return {'refused', tostring(i), lim, used, pid} end
    end
    rec[#rec + 1] = scope
    rec[#rec + 1] = pid
    rec[#rec + 1] = lim
  end
  return nil
end
local no = check()
-- about to refuse: abandoned reservations may be holding the money; expire up to 1,000, look again
if no and no[1] == 'refused' and sweep(KEYS[2], p, ARGV[3], 1000, ARGV[5]) > 0 then no = check() end
if no then
  if no[1] == 'refused' and not old then -- remembered: a retry gets the same answer
    rec[1] = 'refused'
    rec[6], rec[7], rec[8] = no[2], no[3], no[4]
    for j = #rec, FIRST_SCOPE, -1 do rec[j] = nil end
    for j = 1, n do
      rec[#rec + 1] = ARGV[10 + (j - 1) * 4 + 1]
      rec[#rec + 1] = (tostring(j) == no[2]) and no[5] or ''
      rec[#rec + 1] = ''
    end
    redis.call('SET', KEYS[1], record(rec), 'PX', ARGV[5])
  end
  return no
end
-- an open reservation's record has no expiry: it is kept until committed, released or swept
redis.call('SET', KEYS[1], record(rec))
for i = FIRST_SCOPE, #rec, 3 do
  redis.call('HINCRBY', scopeKey(p, rec[i]), 'r:' .. rec[i + 1], amount)
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
return {'ok'}
