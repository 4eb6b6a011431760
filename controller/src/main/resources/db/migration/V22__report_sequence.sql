-- The outbox sequence the device's last report is as of: a report an agent resends after its
-- hello, numbered up to what the hello said was its last, is older than the hello and does not
-- replace it (an agent stopped between recording a generation and reporting it showed as still
-- applying it). 0: no order known, as for a device's rows before this column.
ALTER TABLE devices ADD COLUMN report_sequence BIGINT DEFAULT 0 NOT NULL;
