package io.bulwark.controller.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The device certificates that no longer count: every certificate of a revoked device, and those
 * of an enrolled device issued before its latest enrollment. Kept in memory for the TLS handshake
 * (which must not wait on a database) and in the devices table so that it survives restarts. A
 * revoked device comes back by enrolling again with a new one-time token, and then only with the
 * certificate that enrollment issued and its renewals: a stolen older one stays refused.
 * Thread-safe.
 */
public final class DeviceDenyList implements DeviceRefusal {
  private final Jdbi jdbi;
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> validFrom = new ConcurrentHashMap<>();

  public DeviceDenyList(Jdbi jdbi) {
    this.jdbi = jdbi;
    jdbi.useHandle(h -> h.createQuery("SELECT name, revoked_at, certs_valid_from FROM devices"
            + " WHERE revoked_at IS NOT NULL OR certs_valid_from IS NOT NULL")
        .map((rs, ctx) -> {
          String name = rs.getString("name");
          rs.getLong("revoked_at");
          if (!rs.wasNull()) {
            revoked.add(name);
          }
          long from = rs.getLong("certs_valid_from");
          if (!rs.wasNull()) {
            validFrom.put(name, from);
          }
          return name;
        })
        .list());
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

  /**
   * The device enrolled and got {@code issued}: it is off the list, and certificates issued before
   * that one are refused from now on.
   */
  public void enrolled(String device, X509Certificate issued) {
    long from = issued.getNotBefore().getTime();
    jdbi.useHandle(h -> h.createUpdate("UPDATE devices SET revoked_at = NULL, certs_valid_from = :from WHERE name = :n")
        .bind("from", from).bind("n", device).execute());
    validFrom.put(device, from);
    revoked.remove(device);
  }

  /** Whether {@code certificate}, which names {@code device}, is refused. */
  public boolean refuses(String device, X509Certificate certificate) {
    return refuses(device, certificate.getNotBefore().getTime());
  }

  /** Whether a certificate naming {@code device}, valid from {@code notBeforeMillis}, is refused. */
  @Override
  public boolean refuses(String device, long notBeforeMillis) {
    if (revoked.contains(device)) {
      return true;
    }
    Long from = validFrom.get(device);
    return from != null && notBeforeMillis < from;
  }
}
