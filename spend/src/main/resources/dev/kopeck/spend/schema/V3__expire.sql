-- Kopeck's spend log, version 3: reservations that expired are recorded too.
ALTER TABLE kopeck_spend_log DROP CONSTRAINT IF EXISTS kopeck_spend_log_event_check;
ALTER TABLE kopeck_spend_log ADD CONSTRAINT kopeck_spend_log_event_check
  CHECK (event IN ('reserve', 'refuse', 'commit', 'release', 'commit_failed', 'expire'));
