-- The correlation index: what each indicator shares with others, maintained on ingest.
-- kind: content (hash of the JSON without id/created/modified), ref (a referenced STIX id),
-- extref (source_name:external_id, lowercase), value (domain:, url:, hash:<alg>:).
-- origin: 'self' for keys from the indicator's own JSON, else the id of the relationship object.
-- Long values are keyed by their SHA-256 so the index stays small; shown keeps the text.
CREATE TABLE correlation_keys (
  indicator_id VARCHAR(200) NOT NULL,
  origin VARCHAR(200) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  key_value VARCHAR(512) NOT NULL,
  shown VARCHAR(8192) NOT NULL
);
CREATE INDEX correlation_keys_by_value ON correlation_keys (kind, key_value);
CREATE INDEX correlation_keys_by_indicator ON correlation_keys (indicator_id, origin);

-- IP prefixes as ranges of fixed-width lowercase hex addresses (32 digits), so text order is
-- numeric order: containing prefixes are found by exact first addresses, contained ones by a
-- range scan over first_address.
CREATE TABLE correlation_ranges (
  indicator_id VARCHAR(200) NOT NULL,
  family VARCHAR(2) NOT NULL,
  first_address VARCHAR(32) NOT NULL,
  last_address VARCHAR(32) NOT NULL,
  prefix VARCHAR(64) NOT NULL
);
CREATE INDEX correlation_ranges_by_first ON correlation_ranges (first_address, family);
CREATE INDEX correlation_ranges_by_indicator ON correlation_ranges (indicator_id);

-- One row per indicator: what search by text and the priority score read.
CREATE TABLE correlation_docs (
  indicator_id VARCHAR(200) NOT NULL PRIMARY KEY,
  name VARCHAR(1024) NOT NULL,
  search_text VARCHAR(4096) NOT NULL,
  confidence INT,
  reporter VARCHAR(200) NOT NULL,
  created BIGINT
);
