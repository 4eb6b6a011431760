package io.bulwark.controller.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device certificates this controller issued under its current CA, by the SHA-256 of their
 * encoding, so that the TLS handshake of a device presenting one of them byte for byte checks it
 * with a lookup rather than a certificate path validation (an ECDSA verification and the path
 * checks: a quarter of the controller's work when a fleet reconnects after a restart).
 *
 * <p>The same bytes are the same certificate: signed by this CA, for this device, with the
 * extensions it was issued with. What is still checked is its validity period, here, and the
 * deny list, by the caller; the handshake itself proves the device holds the certificate's key.
 * Certificates issued under another CA (rows with another pin) are not loaded. Kept in the
 * database so that it survives restarts, which is when it pays; a certificate missing from it is
 * only validated the slow way. Thread-safe.
 */
public final class IssuedDeviceCertificates {
  private static final Logger log = LoggerFactory.getLogger(IssuedDeviceCertificates.class);

  /** How long rows of expired certificates are kept, for who-had-what questions. */
  static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

  /** Expired entries leave the memory map after this many recorded certificates. */
  private static final int PRUNE_EVERY = 1024;

  private record Validity(String device, long notBefore, long notAfter) {}

  private final Jdbi jdbi;
  private final String caPin;
  private final Clock clock;
  private final Map<String, Validity> known = new ConcurrentHashMap<>();
  private final AtomicLong recorded = new AtomicLong();

  /**
   * Loads the certificates issued under the CA with {@code caPin} ({@link
   * CertificateAuthority#pin()}) that are still valid, and deletes rows of those expired more
   * than {@link #KEPT_AFTER_EXPIRY} ago.
   */
  public IssuedDeviceCertificates(Jdbi jdbi, String caPin, Clock clock) {
    this.jdbi = jdbi;
    this.caPin = caPin;
    this.clock = clock;
    long now = clock.millis();
    jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM issued_device_certificates WHERE not_after < :cutoff")
          .bind("cutoff", now - KEPT_AFTER_EXPIRY.toMillis())
          .execute();
      h.createQuery("SELECT fingerprint, device, not_before, not_after FROM issued_device_certificates"
              + " WHERE ca_pin = :pin AND not_after > :now")
          .bind("pin", caPin)
          .bind("now", now)
          .map((rs, ctx) -> known.put(rs.getString(1), new Validity(rs.getString(2), rs.getLong(3), rs.getLong(4))))
          .list();
    });
  }

  /**
   * Records {@code certificate}, just issued to {@code device}. A failure to store it is logged and
   * not thrown: the certificate then goes through the full validation at each handshake.
   */
  public void record(String device, X509Certificate certificate) {
    String fingerprint;
    try {
      fingerprint = fingerprint(certificate);
    } catch (CertificateEncodingException e) {
      log.warn("cannot record the certificate issued to device {}: {}", device, e.toString());
      return;
    }
    var validity = new Validity(device, certificate.getNotBefore().getTime(), certificate.getNotAfter().getTime());
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO issued_device_certificates"
              + " (fingerprint, device, ca_pin, not_before, not_after, issued_at)"
              + " VALUES (:f, :d, :pin, :nb, :na, :at)")
          .bind("f", fingerprint)
          .bind("d", device)
          .bind("pin", caPin)
          .bind("nb", validity.notBefore())
          .bind("na", validity.notAfter())
          .bind("at", clock.millis())
          .execute());
    } catch (RuntimeException e) {
      log.warn("cannot record the certificate issued to device {}: {}", device, e.toString());
      return;
    }
    known.put(fingerprint, validity);
    if (recorded.incrementAndGet() % PRUNE_EVERY == 0) {
      long now = clock.millis();
      known.values().removeIf(v -> v.notAfter() < now);
    }
  }

  /** A certificate issued here: to which device, and the start of its validity (epoch ms). */
  public record Issued(String device, long notBeforeMillis) {}

  /**
   * {@code certificate}'s device and validity start if it is, byte for byte, one recorded here
   * and valid now, without parsing it. Empty for anything else, which says nothing against it:
   * the caller validates and reads it the full way.
   */
  public Optional<Issued> find(X509Certificate certificate) {
    if (known.isEmpty()) {
      return Optional.empty();
    }
    Validity validity;
    try {
      validity = known.get(fingerprint(certificate));
    } catch (CertificateEncodingException e) {
      return Optional.empty();
    }
    long now = clock.millis();
    return validity != null && validity.notBefore() <= now && now <= validity.notAfter()
        ? Optional.of(new Issued(validity.device(), validity.notBefore()))
        : Optional.empty();
  }

  /** Certificates held in memory (for tests and the start-up log). */
  public int size() {
    return known.size();
  }

  static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
