-- Whether the audit log recorded that a scheduled countermeasure came into force, that a
-- countermeasure expired, and that a device exception expired. What happened before this
-- version is not recorded after the fact: existing rows count as recorded.
ALTER TABLE countermeasures ADD COLUMN start_audited BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE countermeasures ADD COLUMN expiry_audited BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE device_exceptions ADD COLUMN expiry_audited BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE countermeasures SET start_audited = TRUE, expiry_audited = TRUE;
UPDATE device_exceptions SET expiry_audited = TRUE;
