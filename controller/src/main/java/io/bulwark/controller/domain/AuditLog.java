package io.bulwark.controller.domain;

import java.util.List;

/**
 * The append-only, hash-chained audit log. Thread-safe; appends are serialised, also between
 * controllers sharing one database.
 */
public interface AuditLog {

  /** Appends an entry at the head of the chain and returns it with its sequence and hash. */
  AuditEntry append(String actor, String action, String subject, String details);

  /** An entry to append, for {@link #appendAll}. */
  record Append(String actor, String action, String subject, String details) {}

  /** Appends entries in one transaction, in order; the same as appending them one by one. */
  default List<AuditEntry> appendAll(List<Append> entries) {
    List<AuditEntry> appended = new java.util.ArrayList<>();
    for (Append e : entries) {
      appended.add(append(e.actor(), e.action(), e.subject(), e.details()));
    }
    return appended;
  }

  /** Entries with a sequence above {@code afterSequence}, oldest first, at most {@code limit}. */
  List<AuditEntry> list(long afterSequence, int limit);

  /** The stored head: the sequence and hash of the last entry (0 and empty when none). */
  AuditEntry.Head head();

  /**
   * Where the stored chain starts: the sequence and hash of the last entry moved to an archive
   * file, which the first stored entry follows (0 and empty when none was archived).
   */
  default AuditEntry.Head archived() {
    return new AuditEntry.Head(0, "");
  }
}
