-- When each device first applied a generation carrying each countermeasure, kept for the
-- generations whose rows are pruned from applied_generations and desired_states: each device keeps
-- its recent generations only (see History in the store package), and compliance reports read the
-- earliest of this and of the generations kept. The audit log keeps each generation's number and
-- digest regardless.
CREATE TABLE first_applied (
  device            VARCHAR(64) NOT NULL,
  countermeasure_id BIGINT      NOT NULL,
  applied_at        BIGINT      NOT NULL,
  PRIMARY KEY (device, countermeasure_id)
);

-- One row, locked by every transaction that stores new generations and by the sweep that deletes
-- rule sets and countermeasure sets nothing refers to any more: a generation about to refer to a
-- set found in place cannot lose it to the sweep.
CREATE TABLE shared_sets_lock (
  id INT PRIMARY KEY
);
INSERT INTO shared_sets_lock (id) VALUES (1);
