-- How much the CSIRT trusts a feed (high, medium, low) and the severity it suggests for what the
-- feed reports (NULL: none). The priority score weighs each reporting feed by its trust.
ALTER TABLE feeds ADD COLUMN trust VARCHAR(8) DEFAULT 'medium' NOT NULL;
ALTER TABLE feeds ADD COLUMN default_severity VARCHAR(16);
-- Mutual TLS to the TAXII server: the client certificate chain (PEM, public), its private key
-- sealed like SSH device keys (NULL: no client certificate), and the CA certificates (PEM) that
-- the server's certificate must chain to (NULL: the JDK's trust store).
ALTER TABLE feeds ADD COLUMN client_cert VARCHAR;
ALTER TABLE feeds ADD COLUMN sealed_client_key VARCHAR;
ALTER TABLE feeds ADD COLUMN server_ca VARCHAR;

-- Who reported each indicator: one row per indicator id and ingest source (a file name or
-- taxii:<feed>), also when the source sent a version already stored.
CREATE TABLE indicator_reports (
  indicator_id VARCHAR(200) NOT NULL,
  source       VARCHAR(1024) NOT NULL,
  first_at     BIGINT       NOT NULL,
  last_at      BIGINT       NOT NULL,
  times        INT          NOT NULL,
  PRIMARY KEY (indicator_id, source)
);

-- STIX sightings of indicators, newest version of each sighting: the priority score counts them.
CREATE TABLE indicator_sightings (
  sighting_id    VARCHAR(200)  PRIMARY KEY,
  indicator_id   VARCHAR(200)  NOT NULL,
  modified       BIGINT        NOT NULL,
  sighting_count INT           NOT NULL,
  source         VARCHAR(1024) NOT NULL
);
CREATE INDEX indicator_sightings_by_indicator ON indicator_sightings (indicator_id);
