-- When each device first applied a generation carrying each countermeasure, kept for the
-- generations whose rows are pruned from applied_generations and desired_states: each device keeps
-- its recent generations only (see History in the store package), and compliance reports read the
-- earliest of this and of the generations kept. The audit log keeps every generation regardless.
CREATE TABLE first_applied (
  device            VARCHAR(64) NOT NULL,
  countermeasure_id BIGINT      NOT NULL,
  applied_at        BIGINT      NOT NULL,
  PRIMARY KEY (device, countermeasure_id)
);
