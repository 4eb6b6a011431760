-- Admin users: one row per issued certificate; revocation is per user name.
CREATE TABLE users (
  serial      VARCHAR(64)  PRIMARY KEY,
  name        VARCHAR(64)  NOT NULL,
  role        VARCHAR(16)  NOT NULL,
  created_at  BIGINT       NOT NULL,
  not_after   BIGINT       NOT NULL,
  revoked_at  BIGINT
);
CREATE INDEX users_name ON users (name);

-- The audit log: each entry carries the SHA-256 of the previous one.
CREATE TABLE audit_log (
  sequence      BIGINT        PRIMARY KEY,
  at            BIGINT        NOT NULL,
  actor         VARCHAR(256)  NOT NULL,
  action        VARCHAR(64)   NOT NULL,
  subject       VARCHAR(1024) NOT NULL,
  details       VARCHAR       NOT NULL,
  previous_hash VARCHAR(64)   NOT NULL,
  hash          VARCHAR(64)   NOT NULL
);

-- The head of the chain; its row lock serialises appends, also across controllers.
CREATE TABLE audit_head (
  id       INT          PRIMARY KEY,
  sequence BIGINT       NOT NULL,
  hash     VARCHAR(64)  NOT NULL
);
INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, '');

-- Approval state of countermeasures: active, awaiting a second approver, or withdrawn.
ALTER TABLE countermeasures ADD COLUMN status VARCHAR(32) DEFAULT 'active' NOT NULL;
ALTER TABLE countermeasures ADD COLUMN second_approver VARCHAR(256);
ALTER TABLE countermeasures ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE countermeasures ADD COLUMN withdrawn_by VARCHAR(256);

-- Which countermeasures each desired generation carries, and when each generation was applied:
-- the evidence behind per-device compliance reports.
CREATE TABLE desired_state_countermeasures (
  device            VARCHAR(64) NOT NULL,
  generation        BIGINT      NOT NULL,
  countermeasure_id BIGINT      NOT NULL,
  PRIMARY KEY (device, generation, countermeasure_id)
);
CREATE INDEX dsc_countermeasure ON desired_state_countermeasures (countermeasure_id);

CREATE TABLE applied_generations (
  device     VARCHAR(64) NOT NULL,
  generation BIGINT      NOT NULL,
  digest     VARCHAR(64) NOT NULL,
  applied_at BIGINT      NOT NULL,
  PRIMARY KEY (device, generation)
);
