-- Device certificates whose notBefore is earlier than this (epoch milliseconds) are refused: set
-- when a device enrolls, so that a certificate issued before a re-enrollment (one that was
-- revoked, or left on a machine that was replaced) never counts again. NULL: no such limit.
ALTER TABLE devices ADD COLUMN certs_valid_from BIGINT;
