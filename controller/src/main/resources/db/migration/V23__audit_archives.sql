-- Entries moved out of audit_log into archive files: each row is one archive, named by the last
-- entry it holds. The chain in audit_log goes on from the newest one's entry and hash; the
-- controller signs a checkpoint at that entry too, so an anchor added by hand does not verify.
CREATE TABLE audit_archives (
  through_sequence BIGINT       PRIMARY KEY,
  hash             VARCHAR(64)  NOT NULL,
  first_sequence   BIGINT       NOT NULL,
  file_sha256      VARCHAR(64)  NOT NULL,
  actor            VARCHAR(256) NOT NULL,
  at               BIGINT       NOT NULL
);
