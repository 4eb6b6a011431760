package io.bulwark.controller.pki;

import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.UserStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Admin users: certificates carrying a role, issued by the controller's CA, recorded so that
 * a revoked user is refused on the next call. Thread-safe.
 */
public final class Users {
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);
  private static final Duration MAX_VALIDITY = Duration.ofDays(825);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
  private static final Set<String> ROLES = Set.of("operator", "csirt", "auditor", "admin");

  private final UserStore store;
  private final CertificateAuthority ca;
  private final Clock clock;

  public Users(UserStore store, CertificateAuthority ca, Clock clock) {
    this.store = store;
    this.ca = ca;
    this.clock = clock;
  }

  /**
   * Issues a key and certificate for a user with a role and records the certificate.
   *
   * @throws InvalidRequestException naming a bad name, role or validity
   */
  public IssuedIdentity add(String name, String role, Duration validity) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          "user name '" + name + "' is not valid: lower-case letter first, then letters, digits, '.', '_', '-'");
    }
    String r = role == null ? "" : role.toLowerCase(Locale.ROOT);
    if (!ROLES.contains(r)) {
      throw new InvalidRequestException("role '" + role + "' is not one of operator, csirt, auditor, admin");
    }
    Duration v = validity == null || validity.isZero() ? DEFAULT_VALIDITY : validity;
    if (v.isNegative() || v.compareTo(MAX_VALIDITY) > 0) {
      throw new InvalidRequestException("user certificate validity must be between 1 second and 825 days");
    }
    IssuedIdentity identity = ca.issueUser(name, r, v);
    record(identity.certificate(), name, r);
    return identity;
  }

  /** Records a certificate issued elsewhere in the controller (the local admin's). */
  public void record(X509Certificate certificate, String name, String role) {
    store.add(new UserStore.UserCertificate(serial(certificate), name, role, clock.instant(),
        certificate.getNotAfter().toInstant(), null));
  }

  /** Revokes every certificate of the user; returns how many were active. */
  public int revoke(String name) {
    return store.revoke(name, clock.instant());
  }

  /** Whether the certificate was issued here as a user certificate and is not revoked. */
  public boolean isActive(X509Certificate certificate) {
    return store.isActive(serial(certificate));
  }

  static String serial(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }
}
