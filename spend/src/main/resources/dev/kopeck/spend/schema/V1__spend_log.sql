-- Kopeck's spend log, version 1: one row per request and event.
CREATE TABLE IF NOT EXISTS kopeck_spend_log (
  request_id          text        NOT NULL,
  event               text        NOT NULL CHECK (event IN ('reserve', 'refuse', 'commit', 'release', 'commit_failed')),
  at                  timestamptz NOT NULL,
  scopes              text[]      NOT NULL,
  model               text,
  provider            text,
  currency            text,
  cost                numeric,
  reserved_nanos      bigint      NOT NULL,
  cost_nanos          bigint      NOT NULL,
  overspend_nanos     bigint      NOT NULL,
  late                boolean     NOT NULL,
  usage_estimated     boolean     NOT NULL,
  input_tokens        bigint      NOT NULL,
  cache_read_tokens   bigint      NOT NULL,
  cache_write_tokens  bigint      NOT NULL,
  output_tokens       bigint      NOT NULL,
  reasoning_tokens    bigint      NOT NULL,
  reason              text,
  PRIMARY KEY (request_id, event)
);
CREATE INDEX IF NOT EXISTS kopeck_spend_log_at ON kopeck_spend_log (at);
