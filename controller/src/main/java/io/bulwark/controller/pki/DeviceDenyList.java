package io.bulwark.controller.pki;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Revoked devices. Kept in memory for the TLS handshake (which must not wait on a database)
 * and in the devices table so that it survives restarts. A device leaves the list when it
 * enrolls again with a new one-time token. Thread-safe.
 */
public final class DeviceDenyList {
  private final Jdbi jdbi;
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  public DeviceDenyList(Jdbi jdbi) {
    this.jdbi = jdbi;
    revoked.addAll(jdbi.withHandle(h -> h.createQuery("SELECT name FROM devices WHERE revoked_at IS NOT NULL")
        .mapTo(String.class).list()));
  }

  /** Revokes the device; returns false when no such device exists. */
  public boolean revoke(String device, Instant at) {
    int n = jdbi.withHandle(h -> h.createUpdate("UPDATE devices SET revoked_at = :at WHERE name = :n")
        .bind("at", at.toEpochMilli()).bind("n", device).execute());
    if (n > 0) {
      revoked.add(device);
    }
    return n > 0;
  }

  /** Takes the device off the list (it enrolled again). */
  public void clear(String device) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE devices SET revoked_at = NULL WHERE name = :n").bind("n", device).execute());
    revoked.remove(device);
  }

  public boolean isRevoked(String device) {
    return revoked.contains(device);
  }
}
