package io.bulwark.controller.audit;

import io.bulwark.controller.domain.AuditEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How audit entries are chained: each entry's hash covers its own fields and the previous
 * entry's hash, every field length-prefixed so no two different entries encode alike. Pure and
 * thread-safe.
 */
public final class AuditChain {
  private AuditChain() {}

  /** The hash an entry with these fields must carry. */
  public static String hash(
      long sequence, Instant at, String actor, String action, String subject, String details, String previousHash) {
    StringBuilder canonical = new StringBuilder();
    for (String field :
        new String[] {
          Long.toString(sequence), Long.toString(at.toEpochMilli()), actor, action, subject, details, previousHash
        }) {
      canonical.append(field.length()).append(':').append(field).append('\n');
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash {@code e} should carry, recomputed from its fields. */
  public static String expectedHash(AuditEntry e) {
    return hash(e.sequence(), e.at(), e.actor(), e.action(), e.subject(), e.details(), e.previousHash());
  }
}
