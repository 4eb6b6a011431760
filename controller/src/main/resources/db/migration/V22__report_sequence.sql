-- The outbox sequence the device's last report is as of: a report an agent resends after its
-- hello, numbered up to what the hello said was its last, is older than the hello and does not
-- replace it (a report held back while the agent reconnected showed a failure it had long
-- recovered from). 0: no order known, as for a device's rows before this column.
ALTER TABLE devices ADD COLUMN report_sequence BIGINT DEFAULT 0 NOT NULL;
