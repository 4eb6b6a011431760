package io.bulwark.controller.pki;

import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.EnrollmentToken;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.InvalidTokenException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * One-time enrollment tokens and their exchange for device certificates. A token is
 * {@code <id>.<secret>}; only the SHA-256 of the secret is stored, compared in constant time,
 * and consumed atomically. Thread-safe.
 */
public final class Enrollment {
  /** Device names: what may appear in a certificate and in nft comments. */
  public static final Pattern DEVICE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

  /** The rule-set targets an agent can apply (its nftables, iptables and file appliers). */
  public static final List<String> AGENT_TARGETS =
      List.of("nftables", "iptables", "suricata", "yara", "rpz", "clamav");
  private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TokenStore tokens;
  private final DeviceStore devices;
  private final CertificateAuthority ca;
  private final Duration certificateValidity;
  private final Clock clock;
  private final BiConsumer<String, X509Certificate> onEnrolled;

  /**
   * @param onEnrolled called with the device name and its new certificate after each enrollment,
   *     so its desired state can be computed before it connects
   */
  public Enrollment(
      TokenStore tokens,
      DeviceStore devices,
      CertificateAuthority ca,
      Duration certificateValidity,
      Clock clock,
      BiConsumer<String, X509Certificate> onEnrolled) {
    this.tokens = tokens;
    this.devices = devices;
    this.ca = ca;
    this.certificateValidity = certificateValidity;
    this.clock = clock;
    this.onEnrolled = onEnrolled;
  }

  /** A token as handed to the operator: the only time its secret exists in the clear. */
  public record IssuedToken(String token, String device, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedToken[device=" + device + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** Creates a token that can enroll {@code device} once before {@code ttl} has passed. */
  public IssuedToken createToken(String device, String target, List<String> tags, Duration ttl) {
    checkDeviceName(device);
    tags.forEach(Scope::checkTag);
    if (!AGENT_TARGETS.contains(target)) {
      throw new InvalidRequestException(
          "target '" + target + "' has no agent applier; use one of " + String.join(", ", AGENT_TARGETS));
    }
    Duration lifetime = ttl == null || ttl.isZero() ? DEFAULT_TOKEN_TTL : ttl;
    if (lifetime.isNegative() || lifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new InvalidRequestException("token lifetime must be between 1 second and 7 days");
    }
    String id = random(16);
    String secret = random(32);
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    tokens.add(new EnrollmentToken(id, sha256(secret), device, target, tags, now, expires));
    return new IssuedToken(id + "." + secret, device, expires);
  }

  /** The result of a successful enrollment. */
  public record Enrolled(String device, String target, X509Certificate certificate, X509Certificate ca) {}

  /**
   * Consumes the token and signs a device certificate for the key in the request.
   *
   * @throws InvalidTokenException for a malformed, unknown, used or expired token
   * @throws InvalidRequestException for a bad certificate request (the token stays unused)
   */
  public Enrolled enroll(String token, byte[] csrDer) {
    var m = TOKEN.matcher(token == null ? "" : token.trim());
    if (!m.matches()) {
      throw new InvalidTokenException("enrollment token is malformed");
    }
    Optional<EnrollmentToken> stored = tokens.findUnused(m.group(1));
    // Hash first, compare in constant time, and give one answer for every kind of mismatch.
    byte[] presented = sha256(m.group(2));
    if (stored.isEmpty() || !MessageDigest.isEqual(stored.get().secretHash(), presented)) {
      throw new InvalidTokenException("enrollment token is unknown or already used");
    }
    EnrollmentToken t = stored.get();
    Instant now = clock.instant();
    if (!t.expiresAt().isAfter(now)) {
      throw new InvalidTokenException("enrollment token expired at " + t.expiresAt());
    }
    // Verify the request before consuming, so a broken request does not burn the token.
    X509Certificate cert = ca.issueDevice(csrDer, t.device(), certificateValidity);
    if (!tokens.consume(t.id(), now)) {
      throw new InvalidTokenException("enrollment token is unknown or already used");
    }
    devices.upsertEnrolled(t.device(), t.target(), t.tags(), now);
    onEnrolled.accept(t.device(), cert);
    return new Enrolled(t.device(), t.target(), cert, ca.certificate());
  }

  /** Checks a device name against {@link #DEVICE_NAME}. */
  public static String checkDeviceName(String device) {
    if (device == null || !DEVICE_NAME.matcher(device).matches()) {
      throw new InvalidRequestException(
          "device name '" + device + "' is not valid: lower-case letters, digits, '.', '-', at most 63");
    }
    return device;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
