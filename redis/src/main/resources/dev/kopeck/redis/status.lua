-- STATUS and PROBE. ARGV: 1 prefix, 2 n scopes, then per scope: name, day id, week id, month id.
-- Returns per scope: limit, period, period id, spent, reserved. Reads only.
local p = ARGV[1]
local out = {}
for i = 1, tonumber(ARGV[2]) do
  local base = 2 + (i - 1) * 4
  local scope = ARGV[base + 1]
  local lim = redis.call('HMGET', p .. ':limit:' .. scope, 'limit', 'period')
  local period = lim[2] or 'none'
  local pid = 'all'
  if period == 'day' then pid = ARGV[base + 2] elseif period == 'week' then pid = ARGV[base + 3]
  elseif period == 'month' then pid = ARGV[base + 4] end
  local v = redis.call('HMGET', p .. ':used:' .. scope .. ':' .. pid, 'spent', 'reserved')
  out[#out + 1] = lim[1] or '-1'
  out[#out + 1] = period
  out[#out + 1] = pid
  out[#out + 1] = v[1] or '0'
  out[#out + 1] = v[2] or '0'
end
return out
