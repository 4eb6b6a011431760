-- The highest status-report sequence stored per device: agents resend unacknowledged reports
-- from their outbox after a reconnect, and a sequence at or below this one is a duplicate.
-- Deleted when the device enrolls again (a new agent starts its sequence anew).

CREATE TABLE agent_status_sequences (
  device        VARCHAR(64) PRIMARY KEY REFERENCES devices (name),
  last_sequence BIGINT      NOT NULL
);
