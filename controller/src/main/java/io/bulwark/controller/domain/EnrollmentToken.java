package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.List;

/**
 * A one-time enrollment token as stored: only the SHA-256 of its secret is kept.
 *
 * @param id the public half of the token, used to find it
 * @param secretHash SHA-256 of the secret half
 * @param device the only device the token can enroll
 */
public record EnrollmentToken(
    String id,
    byte[] secretHash,
    String device,
    String target,
    List<String> tags,
    Instant createdAt,
    Instant expiresAt) {

  public EnrollmentToken {
    secretHash = secretHash.clone();
    tags = List.copyOf(tags);
  }

  @Override
  public byte[] secretHash() {
    return secretHash.clone();
  }
}
