package io.bulwark.controller.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device certificates this controller issued under its current CA, by the SHA-256 of their
 * encoding, so that the TLS handshake of a device presenting one of them byte for byte checks it
 * with a lookup rather than a certificate path validation (an ECDSA verification and the path
 * checks: over a quarter of the controller's work when a fleet reconnects after a restart).
 *
 * <p>The same bytes are the same certificate: signed by this CA, for this device, with the
 * extensions it was issued with. What is still checked is its validity period, here, and the
 * deny list, by the caller; the handshake itself proves the device holds the certificate's key.
 * The rows are kept in the database so that they survive restarts, which is when they pay. Each
 * carries a tag ({@link SecretBox#tag}) under the controller's own key: a row written by anyone
 * else with access to the database, or moved to another CA, is not loaded. Only each device's
 * latest certificate is held in memory. A certificate missing here is only validated the slow
 * way. Thread-safe.
 */
public final class IssuedDeviceCertificates {
  private static final Logger log = LoggerFactory.getLogger(IssuedDeviceCertificates.class);

  /** How long rows of expired certificates are kept, for who-had-what questions. */
  static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

  private static final String TAG_PURPOSE = "issued device certificate";

  /** A certificate issued here: to which device, and the start of its validity (epoch ms). */
  public record Issued(String device, long notBeforeMillis) {}

  private record Validity(String device, long notBefore, long notAfter) {}

  private record Row(String fingerprint, Validity validity, String tag) {}

  private final Jdbi jdbi;
  private final String caPin;
  private final SecretBox secrets;
  private final Clock clock;
  private final Map<String, Validity> known = new ConcurrentHashMap<>();
  /** Each device's latest certificate in {@link #known}; guarded by itself. */
  private final Map<String, String> latest = new HashMap<>();

  /**
   * Loads each device's latest certificate issued under the CA with {@code caPin} ({@link
   * CertificateAuthority#pin()}) that is still valid and tagged with {@code secrets}, and deletes
   * rows of certificates expired more than {@link #KEPT_AFTER_EXPIRY} ago.
   */
  public IssuedDeviceCertificates(Jdbi jdbi, String caPin, SecretBox secrets, Clock clock) {
    this.jdbi = jdbi;
    this.caPin = caPin;
    this.secrets = secrets;
    this.clock = clock;
    long now = clock.millis();
    int[] untagged = {0};
    jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM issued_device_certificates WHERE not_after < :cutoff")
          .bind("cutoff", now - KEPT_AFTER_EXPIRY.toMillis())
          .execute();
      h.createQuery("SELECT fingerprint, device, not_before, not_after, tag FROM issued_device_certificates"
              + " WHERE ca_pin = :pin AND not_after >= :now ORDER BY not_before")
          .bind("pin", caPin)
          .bind("now", now)
          .map((rs, ctx) -> new Row(rs.getString(1), new Validity(rs.getString(2), rs.getLong(3), rs.getLong(4)),
              rs.getString(5)))
          .forEach(row -> {
            if (secrets.tagMatches(TAG_PURPOSE, tagged(row.fingerprint(), row.validity()), row.tag())) {
              hold(row.fingerprint(), row.validity());
            } else {
              untagged[0]++;
            }
          });
    });
    if (untagged[0] > 0) {
      log.warn("{} recorded device certificates carry no valid tag and were ignored: they were not"
          + " written by this controller, or its secrets.key changed", untagged[0]);
    }
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
              + " (fingerprint, device, ca_pin, not_before, not_after, issued_at, tag)"
              + " VALUES (:f, :d, :pin, :nb, :na, :at, :tag)")
          .bind("f", fingerprint)
          .bind("d", device)
          .bind("pin", caPin)
          .bind("nb", validity.notBefore())
          .bind("na", validity.notAfter())
          .bind("at", clock.millis())
          .bind("tag", secrets.tag(TAG_PURPOSE, tagged(fingerprint, validity)))
          .execute());
    } catch (RuntimeException e) {
      log.warn("cannot record the certificate issued to device {}: {}", device, e.toString());
      return;
    }
    hold(fingerprint, validity);
  }

  /**
   * {@code certificate}'s device and validity start if it is, byte for byte, its device's latest
   * certificate recorded here and valid now, without parsing it. Empty for anything else, which
   * says nothing against it: the caller validates and reads it the full way.
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

  /** Certificates held in memory: at most one per device. */
  public int size() {
    return known.size();
  }

  /** Holds {@code fingerprint} as its device's latest certificate, dropping the one before. */
  private void hold(String fingerprint, Validity validity) {
    synchronized (latest) {
      String before = latest.put(validity.device(), fingerprint);
      known.put(fingerprint, validity);
      if (before != null && !before.equals(fingerprint)) {
        known.remove(before);
      }
    }
  }

  /** What a row's tag covers: every column that decides whether and for whom it counts. */
  private String tagged(String fingerprint, Validity validity) {
    return fingerprint + "\n" + validity.device() + "\n" + caPin + "\n" + validity.notBefore() + "\n" + validity.notAfter();
  }

  static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
