package io.bulwark.controller.audit;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import java.util.List;

/**
 * Checks the audit log end to end: sequence numbers without gaps from 1 (or from the entry after
 * the last one archived, whose hash the first stored entry then follows), each entry's stored hash
 * equal to its recomputed hash, each previous hash equal to the hash before it, and the stored head
 * equal to the last entry. Any edited, deleted, inserted or reordered entry breaks one of these;
 * the result names the first entry where it shows. {@link AuditCheckpoints#verify} checks that the
 * archive's anchor is the controller's.
 */
public final class AuditVerifier {
  private static final int PAGE = 1000;
  private final AuditLog log;

  public AuditVerifier(AuditLog log) {
    this.log = log;
  }

  /**
   * The outcome of a check. {@code firstBadSequence} is 0 when intact; {@code archived} is where
   * the chain checked starts (the last archived entry, or 0).
   */
  public record Result(boolean intact, long entriesChecked, String headHash, long firstBadSequence, String problem,
      AuditEntry.Head archived) {
    static Result broken(long checked, String head, long sequence, String problem, AuditEntry.Head archived) {
      return new Result(false, checked, head, sequence, problem, archived);
    }

    /** The last entry found intact, or none (0) when no entry was checked. */
    public AuditEntry.Head lastChecked() {
      return entriesChecked == 0 ? new AuditEntry.Head(0, "")
          : new AuditEntry.Head(archived.sequence() + entriesChecked, headHash);
    }
  }

  public Result verify() {
    // An archive recorded meanwhile removes entries this check would miss: it starts again, from there.
    for (int attempt = 1; ; attempt++) {
      AuditEntry.Head archived = log.archived();
      Result r = verifyFrom(archived);
      if (r.intact() || attempt == 3 || log.archived().equals(archived)) {
        return r;
      }
    }
  }

  /**
   * Checks the entries after {@code from} up to {@code to} (the head, locked by the caller): that
   * they follow {@code from} and each other and end at {@code to}'s hash. Empty when they do, else
   * the problem.
   */
  public java.util.Optional<String> continues(AuditEntry.Head from, AuditEntry.Head to) {
    Walk w = walk(from, to.sequence());
    if (w.problem() != null) {
      return java.util.Optional.of(w.problem());
    }
    long last = from.sequence() + w.checked();
    return last == to.sequence() && w.previous().equals(to.hash()) ? java.util.Optional.empty()
        : java.util.Optional.of("the chain ends at entry " + last + " but the recorded head is entry " + to.sequence());
  }

  /** How far a walk got: entries checked, the last one's hash, and the first bad entry and why (null if none). */
  private record Walk(long checked, String previous, long bad, String problem) {}

  /** Walks the entries after {@code from} up to {@code through}, checking each. */
  private Walk walk(AuditEntry.Head from, long through) {
    long expected = from.sequence() + 1;
    String previous = from.hash();
    long checked = 0;
    pages:
    while (expected <= through) {
      List<AuditEntry> page = log.list(expected - 1, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditEntry e : page) {
        if (e.sequence() > through && e.sequence() == expected) {
          break pages;
        }
        if (e.sequence() != expected) {
          return new Walk(checked, previous, expected,
              "entry " + expected + " is missing (next stored entry is " + e.sequence() + ")");
        }
        if (!e.previousHash().equals(previous)) {
          return new Walk(checked, previous, e.sequence(),
              "entry " + e.sequence() + " does not follow entry " + (e.sequence() - 1) + " (previous hash differs)");
        }
        if (!AuditChain.expectedHash(e).equals(e.hash())) {
          return new Walk(checked, previous, e.sequence(),
              "entry " + e.sequence() + " was changed after it was written (hash differs)");
        }
        previous = e.hash();
        expected++;
        checked++;
      }
    }
    return new Walk(checked, previous, 0, null);
  }

  private Result verifyFrom(AuditEntry.Head archived) {
    // Read first: entries appended while the check runs are left to the next one.
    AuditEntry.Head head = log.head();
    Walk w = walk(archived, head.sequence());
    long checked = w.checked();
    String previous = w.previous();
    if (w.problem() != null) {
      return Result.broken(checked, previous, w.bad(), w.problem(), archived);
    }
    long last = archived.sequence() + checked;
    if (head.sequence() != last || !head.hash().equals(previous)) {
      return Result.broken(checked, previous, last + 1,
          "the chain ends at entry " + last + " but the recorded head is entry " + head.sequence(), archived);
    }
    // An entry stored past the head without moving it was not appended by the log, which moves both
    // in one transaction: the head read after the entry was seen covers every entry appended so.
    List<AuditEntry> beyond = log.list(log.head().sequence(), 1);
    long now = log.head().sequence();
    if (!beyond.isEmpty() && beyond.get(0).sequence() > now) {
      return Result.broken(checked, previous, beyond.get(0).sequence(), "entry " + beyond.get(0).sequence()
          + " lies past the recorded head, entry " + now, archived);
    }
    return new Result(true, checked, previous, 0, "", archived);
  }
}
