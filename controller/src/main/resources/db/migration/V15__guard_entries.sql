-- The guard list the CSIRT keeps on top of the built-in one: values approvals must not block
-- (effect 'protect') or may block although the built-in list protects them (effect 'allow').
CREATE TABLE guard_entries (
  guarded    VARCHAR(300)  NOT NULL PRIMARY KEY,
  effect     VARCHAR(8)    NOT NULL,
  reason     VARCHAR(1024) NOT NULL,
  added_by   VARCHAR(256)  NOT NULL,
  added_at   BIGINT        NOT NULL
);
