-- How urgent a countermeasure is: the chase list holds each device to the deadline for it.
ALTER TABLE countermeasures ADD COLUMN severity VARCHAR(16) DEFAULT 'MEDIUM' NOT NULL;
-- When it comes into force; NULL (older rows) means at approval.
ALTER TABLE countermeasures ADD COLUMN starts_at BIGINT;

-- Who answers for each device: the chase list and the compliance report name them.
CREATE TABLE device_owners (
  device  VARCHAR(64)  PRIMARY KEY,
  owner   VARCHAR(256) NOT NULL,
  set_at  BIGINT       NOT NULL,
  set_by  VARCHAR(256) NOT NULL
);

-- Scopes may list devices by name: room for a longer written form.
ALTER TABLE countermeasures ALTER COLUMN scope SET DATA TYPE VARCHAR(4096);
ALTER TABLE countermeasures ALTER COLUMN canary_scope SET DATA TYPE VARCHAR(4096);
