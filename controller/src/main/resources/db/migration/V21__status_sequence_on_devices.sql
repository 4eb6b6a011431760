-- The highest status-report sequence stored per device moves into the device's row: storing a
-- report then updates one row instead of two, which is what bounded how many status reports a
-- second PostgreSQL absorbs. 0 before the first report with a sequence, and again when the device
-- enrolls again (its new agent numbers its reports afresh).
ALTER TABLE devices ADD COLUMN last_sequence BIGINT DEFAULT 0 NOT NULL;
UPDATE devices SET last_sequence = (SELECT q.last_sequence FROM agent_status_sequences q WHERE q.device = devices.name)
  WHERE EXISTS (SELECT 1 FROM agent_status_sequences q WHERE q.device = devices.name);
DROP TABLE agent_status_sequences;
