-- Rule sets are stored once by digest: a fleet of devices with the same inputs shares one
-- compiled rule set, and each desired state refers to it.
CREATE TABLE rule_sets (
  digest VARCHAR(64) PRIMARY KEY,
  target VARCHAR(64) NOT NULL,
  rules  VARCHAR     NOT NULL
);

INSERT INTO rule_sets (digest, target, rules)
  SELECT digest, MIN(target), MIN(rules) FROM desired_states GROUP BY digest;

ALTER TABLE desired_states DROP COLUMN rules;

-- "Which devices are not on generation G" and "which lack countermeasure C" at fleet size.
CREATE INDEX devices_applied_generation ON devices (applied_generation);
