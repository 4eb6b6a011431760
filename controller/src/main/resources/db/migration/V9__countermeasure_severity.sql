-- How urgent a countermeasure is: the chase list holds each device to the deadline for it.
ALTER TABLE countermeasures ADD COLUMN severity VARCHAR(16) DEFAULT 'MEDIUM' NOT NULL;
