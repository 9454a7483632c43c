-- Kopeck's spend log, version 2: the tariff each commit was priced with.
ALTER TABLE kopeck_spend_log ADD COLUMN IF NOT EXISTS tariff text;
