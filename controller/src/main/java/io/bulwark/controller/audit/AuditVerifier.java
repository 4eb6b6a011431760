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

  /** The outcome of a check. {@code firstBadSequence} is 0 when intact. */
  public record Result(boolean intact, long entriesChecked, String headHash, long firstBadSequence, String problem) {
    static Result broken(long checked, String head, long sequence, String problem) {
      return new Result(false, checked, head, sequence, problem);
    }
  }

  public Result verify() {
    AuditEntry.Head archived = log.archived();
    long expectedSequence = archived.sequence() + 1;
    String previous = archived.hash();
    long checked = 0;
    while (true) {
      List<AuditEntry> page = log.list(expectedSequence - 1, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (AuditEntry e : page) {
        if (e.sequence() != expectedSequence) {
          return Result.broken(checked, previous, expectedSequence,
              "entry " + expectedSequence + " is missing (next stored entry is " + e.sequence() + ")");
        }
        if (!e.previousHash().equals(previous)) {
          return Result.broken(checked, previous, e.sequence(),
              "entry " + e.sequence() + " does not follow entry " + (e.sequence() - 1) + " (previous hash differs)");
        }
        if (!AuditChain.expectedHash(e).equals(e.hash())) {
          return Result.broken(checked, previous, e.sequence(),
              "entry " + e.sequence() + " was changed after it was written (hash differs)");
        }
        previous = e.hash();
        expectedSequence++;
        checked++;
      }
    }
    AuditEntry.Head head = log.head();
    long last = archived.sequence() + checked;
    if (head.sequence() != last || !head.hash().equals(previous)) {
      return Result.broken(checked, previous, last + 1,
          "the chain ends at entry " + last + " but the recorded head is entry " + head.sequence());
    }
    return new Result(true, checked, previous, 0, "");
  }
}
