-- Agentless devices may log in with a password too (or only); it is sealed like the private key.
-- NULL: no password.
ALTER TABLE ssh_devices ADD COLUMN sealed_password VARCHAR;
