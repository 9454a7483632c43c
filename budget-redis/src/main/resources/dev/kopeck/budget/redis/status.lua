-- STATUS and PROBE. ARGV: 1 prefix, 2 n scopes, then per scope: name, day id, week id, month id.
-- KEYS[1] the ledger's marker. Returns per scope: limit, period, period id, spent, reserved (or
-- {'wiped'} when the marker is gone: a lost store must not read as scopes without limits). Reads only.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'wiped'} end
local p = ARGV[1]
local out = {}
for i = 1, tonumber(ARGV[2]) do
  local b = 2 + (i - 1) * 4
  local v = usage(p, ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
  local period, pid, spent, reserved = current(v, ARGV[b + 2], ARGV[b + 3], ARGV[b + 4])
  out[#out + 1] = v[1] or '-1'
  out[#out + 1] = period
  out[#out + 1] = pid
  out[#out + 1] = spent or '0'
  out[#out + 1] = reserved or '0'
end
return out
