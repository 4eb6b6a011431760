-- Which countermeasures a desired state carries, stored once per distinct set instead of once per
-- device and generation: a fleet that gets one generation shares one set, so an approval writes
-- a few rows whatever the fleet's size and the number of countermeasures in force (one row per
-- device and countermeasure made an approval reaching 10,000 devices with 100 countermeasures in
-- force write a million rows). A new set's key is the SHA-256 of its sorted ids; the sets of
-- earlier desired states keep a key of their own. A desired state without countermeasures has none.
CREATE TABLE countermeasure_sets (
  set_key           VARCHAR(100) NOT NULL,
  countermeasure_id BIGINT       NOT NULL,
  PRIMARY KEY (set_key, countermeasure_id)
);
CREATE INDEX countermeasure_sets_countermeasure ON countermeasure_sets (countermeasure_id);

ALTER TABLE desired_states ADD COLUMN countermeasure_set VARCHAR(100);

INSERT INTO countermeasure_sets (set_key, countermeasure_id)
  SELECT 'generation:' || device || '@' || CAST(generation AS VARCHAR(20)), countermeasure_id
  FROM desired_state_countermeasures;

UPDATE desired_states SET countermeasure_set = 'generation:' || device || '@' || CAST(generation AS VARCHAR(20))
  WHERE EXISTS (SELECT 1 FROM desired_state_countermeasures c
                WHERE c.device = desired_states.device AND c.generation = desired_states.generation);

DROP TABLE desired_state_countermeasures;
