package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log.
 *
 * @param sequence 1 for the first entry, then one more for each
 * @param actor who did it: a user name, {@code device:NAME} or {@code controller}
 * @param action what happened, for example {@code countermeasure.approve}
 * @param subject what it happened to, for example a device name or countermeasure id
 * @param details free text with the facts worth keeping (no secrets)
 * @param previousHash the hash of the entry before, empty for the first
 * @param hash hex SHA-256 over this entry's fields and {@code previousHash}
 */
public record AuditEntry(
    long sequence,
    Instant at,
    String actor,
    String action,
    String subject,
    String details,
    String previousHash,
    String hash) {

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    subject = subject == null ? "" : subject;
    details = details == null ? "" : details;
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** The head of the chain as stored next to it. */
  public record Head(long sequence, String hash) {}
}
