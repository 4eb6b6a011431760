-- A vulnerability's name (usually its CVE id, upper case), so indicators that cite the CVE find it.
ALTER TABLE stix_objects ADD COLUMN name VARCHAR(300);
CREATE INDEX stix_objects_by_name ON stix_objects (type, name);
