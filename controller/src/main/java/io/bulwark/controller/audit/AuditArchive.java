package io.bulwark.controller.audit;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.domain.InvalidRequestException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Moves the oldest audit entries out of the database once they are in an archive file: the
 * caller names the last entry the file holds and that entry's hash, which proves the file holds
 * the chain as stored up to there (each hash covers every entry before it). In one transaction,
 * with the head locked as appends lock it: the file must start where the last archive ended, the
 * entry's hash is checked, the archive is recorded with the controller's signature over its
 * entries, last hash and file SHA-256, and audited; the chain left starts after it ({@link
 * AuditVerifier}), and the entries up to it are then deleted. The whole log is verified first, so
 * a broken chain is never archived and so hidden. Thread-safe.
 */
public final class AuditArchive {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** Entries deleted per statement. */
  private static final int STEP = 50_000;

  private final Jdbi jdbi;
  private final AuditLog log;
  private final AuditCheckpoints checkpoints;
  private final Clock clock;

  public AuditArchive(Jdbi jdbi, AuditLog log, AuditCheckpoints checkpoints, Clock clock) {
    this.jdbi = jdbi;
    this.log = log;
    this.checkpoints = checkpoints;
    this.clock = clock;
  }

  /** Entries {@code first} to {@code through} were archived, {@code removed} rows deleted. */
  public record Archived(long first, long through, long removed) {}

  /**
   * Records the archive of the entries from {@code first}, which follows {@code previousHash}, to
   * {@code through}, whose hash must be {@code hash}, written to a file whose SHA-256 (hex) is
   * {@code fileSha256}; then removes them.
   *
   * @throws InvalidRequestException naming what does not match; nothing is recorded or removed then
   * @throws BulwarkException when the log does not verify; nothing is recorded or removed then
   */
  public Archived archive(String actor, long first, String previousHash, long through, String hash, String fileSha256) {
    if (!SHA256.matcher(hash).matches()) {
      throw new InvalidRequestException("the last entry's hash must be 64 lower-case hex digits, not '" + clip(hash) + "'");
    }
    if (!SHA256.matcher(fileSha256).matches()) {
      throw new InvalidRequestException("the file's SHA-256 must be 64 lower-case hex digits, not '" + clip(fileSha256) + "'");
    }
    if (first < 1) {
      throw new InvalidRequestException("the request does not say where the archive file starts (first entry "
          + first + "); a CLI as new as the controller does");
    }
    if (through < first) {
      throw new InvalidRequestException("an archive of entries " + first + " to " + through + " holds none");
    }
    AuditVerifier.Result chain = new AuditVerifier(log).verify();
    Optional<String> signed = chain.intact() ? checkpoints.verify() : Optional.of(chain.problem());
    if (signed.isPresent()) {
      throw new BulwarkException("the audit log does not verify, so nothing is archived: " + signed.get()
          + " (see audit verify)");
    }
    AuditEntry.Head checked = chain.entriesChecked() == 0 ? chain.archived() : chain.lastChecked();
    jdbi.useTransaction(h -> {
      AuditEntry.Head locked = h.createQuery("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE")
          .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2))).one();
      long head = locked.sequence();
      AuditEntry.Head last = h.createQuery(
              "SELECT through_sequence, hash FROM audit_archives ORDER BY through_sequence DESC LIMIT 1")
          .map((rs, ctx) -> new AuditEntry.Head(rs.getLong(1), rs.getString(2)))
          .findOne().orElse(new AuditEntry.Head(0, ""));
      if (first != last.sequence() + 1) {
        throw new InvalidRequestException("the log goes on from entry " + (last.sequence() + 1) + ", not from entry "
            + first + ": archived meanwhile?");
      }
      if (!previousHash.equals(last.hash())) {
        throw new InvalidRequestException("the file follows the hash '" + clip(previousHash) + "', but "
            + (last.sequence() == 0 ? "there is no archive before it: the first follows none"
                : "the last archive ends with " + last.hash()));
      }
      if (through > head) {
        throw new InvalidRequestException("the audit log ends at entry " + head + "; there is no entry " + through);
      }
      // Entries appended since the check are checked too, so that the head signed below was found intact.
      Optional<String> appended = last.sequence() == chain.archived().sequence()
          ? new AuditVerifier(log).continues(checked, locked) : Optional.of("archived meanwhile");
      if (appended.isPresent()) {
        throw new BulwarkException("the audit log does not verify, so nothing is archived: " + appended.get()
            + " (see audit verify)");
      }
      String stored = h.createQuery("SELECT hash FROM audit_log WHERE sequence = :s").bind("s", through)
          .mapTo(String.class).findOne()
          .orElseThrow(() -> new BulwarkException("entry " + through + " is not stored (see audit verify)"));
      if (!stored.equals(hash)) {
        throw new InvalidRequestException("entry " + through + " has the hash " + stored + ", not " + hash
            + ": the file does not hold the log as stored");
      }
      AuditCheckpoints.Archive archive = new AuditCheckpoints.Archive(first, through, hash, fileSha256, "");
      h.createUpdate("INSERT INTO audit_archives (through_sequence, hash, first_sequence, file_sha256, signature,"
              + " actor, at) VALUES (:t, :h, :f, :x, :sig, :a, :at)")
          .bind("t", through).bind("h", hash).bind("f", first).bind("x", fileSha256)
          .bind("sig", checkpoints.sign(archive)).bind("a", actor).bind("at", clock.millis()).execute();
      // Their signatures vouch for entries no longer part of the chain.
      h.createUpdate("DELETE FROM audit_checkpoints WHERE sequence <= :t").bind("t", through).execute();
      // In the same transaction (Jdbi hands this thread's handle to the log): recorded together.
      log.append(actor, "audit.archive", "audit", "entries " + first + " to " + through
          + " moved to an archive file (SHA-256 " + fileSha256 + "), the last with hash " + hash);
      // Signed at once: the chain from the archive on can then not be put back or rewritten unseen.
      checkpoints.checkpoint();
    });
    // The chain now starts after the archive, so the entries up to it no longer count: they go in
    // steps, without holding up appends (a day of a large fleet's reports is millions of rows).
    // Rows a stopped controller left are taken with the next archive.
    return new Archived(first, through, remove(through));
  }

  /** Deletes the stored entries up to {@code through}, a step at a time; how many went. */
  private long remove(long through) {
    long removed = 0;
    long lowest = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MIN(sequence), 0) FROM audit_log")
        .mapTo(Long.class).one());
    for (long lo = lowest; lo <= through && lowest > 0; lo += STEP) {
      long low = lo;
      long hi = Math.min(through, lo + STEP - 1);
      removed += jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit_log WHERE sequence >= :lo AND sequence <= :hi")
          .bind("lo", low).bind("hi", hi).execute());
    }
    return removed;
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
