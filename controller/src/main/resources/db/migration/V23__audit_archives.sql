-- Entries moved out of audit_log into archive files: each row is one archive, from its first entry
-- to its last, with that last entry's hash, the file's SHA-256 and the controller's signature over
-- all four. The chain in audit_log goes on from the newest one's entry and hash; an anchor added by
-- hand has no valid signature.
CREATE TABLE audit_archives (
  through_sequence BIGINT       PRIMARY KEY,
  hash             VARCHAR(64)  NOT NULL,
  first_sequence   BIGINT       NOT NULL,
  file_sha256      VARCHAR(64)  NOT NULL,
  signature        VARCHAR(256) NOT NULL,
  actor            VARCHAR(256) NOT NULL,
  at               BIGINT       NOT NULL
);
