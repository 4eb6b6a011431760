-- The STIX version each indicator version came as (2.0 objects carry no spec_version).
ALTER TABLE indicator_versions ADD COLUMN spec_version VARCHAR(8) DEFAULT '2.1' NOT NULL;

-- Every other accepted STIX object, kept as it came, versioned by id and modified like indicators.
-- modified: the object's modified, else its created, else 0 (objects that STIX does not version,
-- such as cyber-observables). source_ref and target_ref: a relationship's ends, else NULL.
CREATE TABLE stix_objects (
  id           VARCHAR(300)  NOT NULL,
  modified     BIGINT        NOT NULL,
  type         VARCHAR(250)  NOT NULL,
  spec_version VARCHAR(8)    NOT NULL,
  source_ref   VARCHAR(300),
  target_ref   VARCHAR(300),
  source       VARCHAR(1024) NOT NULL,
  ingested_at  BIGINT        NOT NULL,
  json         VARCHAR       NOT NULL,
  PRIMARY KEY (id, modified)
);
CREATE INDEX stix_objects_by_source_ref ON stix_objects (source_ref);
CREATE INDEX stix_objects_by_target_ref ON stix_objects (target_ref);
