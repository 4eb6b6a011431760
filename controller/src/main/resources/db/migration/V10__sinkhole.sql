-- Where a sinkhole countermeasure sends the names it covers: a host name or one address, in
-- canonical form. NULL for block and alert countermeasures.
ALTER TABLE countermeasures ADD COLUMN sinkhole VARCHAR(253);
