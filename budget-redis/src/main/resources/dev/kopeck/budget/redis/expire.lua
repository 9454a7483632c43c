-- EXPIRE. KEYS[1] the expiry sorted set. ARGV: 1 now (ms), 2 prefix, 3 at most this many, 4 retention (ms).
return sweep(KEYS[1], ARGV[2], ARGV[1], tonumber(ARGV[3]), ARGV[4])
