-- Every device certificate this controller issued (at enrollment and at each renewal), by the
-- hex SHA-256 of its DER encoding, under the CA named by ca_pin (the pin agents hold). A device
-- that presents one of these byte for byte is checked by a lookup at the TLS handshake instead of
-- a certificate path validation; any other certificate still gets the full validation. tag is an
-- HMAC of the row under a key derived from the controller's secrets.key, so a row written by
-- anyone else is ignored. Times are epoch milliseconds. Rows of certificates long expired are
-- deleted at start-up.
CREATE TABLE issued_device_certificates (
  fingerprint  VARCHAR(64)  NOT NULL PRIMARY KEY,
  device       VARCHAR(63)  NOT NULL,
  ca_pin       VARCHAR(80)  NOT NULL,
  not_before   BIGINT       NOT NULL,
  not_after    BIGINT       NOT NULL,
  issued_at    BIGINT       NOT NULL,
  tag          VARCHAR(64)  NOT NULL
);
CREATE INDEX issued_device_certificates_device ON issued_device_certificates (device);
CREATE INDEX issued_device_certificates_not_after ON issued_device_certificates (not_after);
