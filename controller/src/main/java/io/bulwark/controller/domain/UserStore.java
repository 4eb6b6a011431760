package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;

/** Admin users and their certificates. Thread-safe. */
public interface UserStore {

  /** An issued user certificate. */
  record UserCertificate(String serial, String name, String role, Instant createdAt, Instant notAfter, Instant revokedAt) {}

  void add(UserCertificate certificate);

  /** Revokes every active certificate of the user; returns how many. */
  int revoke(String name, Instant at);

  /** Whether the certificate with this serial was issued here and is not revoked. */
  boolean isActive(String serial);

  /** Every certificate, by user name then creation. */
  List<UserCertificate> list();
}
