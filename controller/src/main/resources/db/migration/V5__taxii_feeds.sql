-- TAXII 2.1 feeds polled by the controller. The cursor is the added_after of the next poll and
-- only moves once the objects before it are committed; secrets stay in their files.
CREATE TABLE feeds (
  name             VARCHAR(64)   PRIMARY KEY,
  url              VARCHAR(2048) NOT NULL,
  collection       VARCHAR(128)  NOT NULL,
  auth_kind        VARCHAR(16)   NOT NULL,
  auth_user        VARCHAR(256),
  secret_file      VARCHAR(4096),
  interval_seconds BIGINT        NOT NULL,
  cursor_after     VARCHAR(64)   NOT NULL,
  last_polled_at   BIGINT,
  last_error       VARCHAR(2048) NOT NULL
);
