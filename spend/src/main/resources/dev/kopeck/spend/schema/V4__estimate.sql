-- Kopeck's spend log, version 4: a commit's pre-flight estimate of its input, for the estimate's error.
ALTER TABLE kopeck_spend_log ADD COLUMN IF NOT EXISTS estimated_input_tokens bigint;
