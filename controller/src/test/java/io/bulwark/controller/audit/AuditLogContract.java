package io.bulwark.controller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.testing.DatabaseContract;
import io.bulwark.controller.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tamper detection of the audit chain; run on H2 and PostgreSQL by the subclasses. */
abstract class AuditLogContract extends DatabaseContract {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private JdbcAuditLog log;

  @BeforeEach
  void open() {
    log = new JdbcAuditLog(db.jdbi(), clock);
    for (int i = 1; i <= 5; i++) {
      log.append("alice", "countermeasure.approve", "countermeasure " + i, "scope all");
      clock.advance(Duration.ofSeconds(1));
    }
  }

  private AuditVerifier.Result verify() {
    return new AuditVerifier(log).verify();
  }

  private void sql(String statement, Object... args) {
    db.jdbi().useHandle(h -> {
      var u = h.createUpdate(statement);
      for (int i = 0; i < args.length; i++) {
        u.bind(i, args[i]);
      }
      u.execute();
    });
  }

  @Test
  void untouchedChain_isIntact_andEachEntryChainsToTheOneBefore() {
    var r = verify();
    assertTrue(r.intact(), r.problem());
    assertEquals(5, r.entriesChecked());
    var entries = log.list(0, 10);
    for (int i = 1; i < entries.size(); i++) {
      assertEquals(entries.get(i - 1).hash(), entries.get(i).previousHash());
    }
    assertEquals(log.head().hash(), r.headHash());
  }

  @Test
  void editedEntry_isCaughtAtThatEntry() {
    sql("UPDATE audit_log SET details = ? WHERE sequence = 3", "scope tag:none");
    var r = verify();
    assertFalse(r.intact());
    assertEquals(3, r.firstBadSequence());
    assertTrue(r.problem().contains("changed"), r.problem());
  }

  @Test
  void deletedEntry_isCaughtWhereItIsMissing() {
    sql("DELETE FROM audit_log WHERE sequence = 2");
    var r = verify();
    assertFalse(r.intact());
    assertEquals(2, r.firstBadSequence());
  }

  @Test
  void deletedLastEntry_isCaughtByTheHead() {
    sql("DELETE FROM audit_log WHERE sequence = 5");
    var r = verify();
    assertFalse(r.intact());
    assertEquals(5, r.firstBadSequence());
  }

  @Test
  void entryInsertedInTheMiddle_isCaught() {
    // Make room after entry 2 and insert a well-formed entry that chains to entry 2.
    for (int s = 5; s >= 3; s--) {
      sql("UPDATE audit_log SET sequence = ? WHERE sequence = ?", s + 1, s);
    }
    AuditEntry two = log.list(1, 1).get(0);
    String hash = AuditChain.hash(3, clock.instant(), "mallory", "countermeasure.approve", "countermeasure 99", "", two.hash());
    sql("INSERT INTO audit_log (sequence, at, actor, action, subject, details, previous_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?, ?)",
        clock.millis(), "mallory", "countermeasure.approve", "countermeasure 99", "", two.hash(), hash);
    var r = verify();
    assertFalse(r.intact());
    assertEquals(4, r.firstBadSequence());
  }

  @Test
  void entryAppendedBehindTheLogsBack_isCaughtByTheHead() {
    AuditEntry last = log.list(4, 1).get(0);
    String hash = AuditChain.hash(6, clock.instant(), "mallory", "user.add", "mallory", "", last.hash());
    sql("INSERT INTO audit_log (sequence, at, actor, action, subject, details, previous_hash, hash) VALUES (6, ?, ?, ?, ?, ?, ?, ?)",
        clock.millis(), "mallory", "user.add", "mallory", "", last.hash(), hash);
    var r = verify();
    assertFalse(r.intact());
    assertTrue(r.problem().contains("head"), r.problem());
  }

  @Test
  void chainRewrittenWithFreshHashes_passesTheChainCheck_butNotTheSignedCheckpoint() {
    var signer = io.bulwark.controller.pki.BundleSigner.create();
    var checkpoints = new AuditCheckpoints(db.jdbi(), log, signer::sign, signer.publicKey(), clock);
    assertTrue(checkpoints.checkpoint().isPresent());
    assertTrue(checkpoints.verify().isEmpty());
    // Rewrite entry 2 and re-chain everything after it, head included, as a careful forger would.
    var entries = log.list(0, 10);
    String previous = entries.get(0).hash();
    for (int i = 1; i < entries.size(); i++) {
      AuditEntry e = entries.get(i);
      String details = i == 1 ? "scope tag:none" : e.details();
      String hash = AuditChain.hash(e.sequence(), e.at(), e.actor(), e.action(), e.subject(), details, previous);
      sql("UPDATE audit_log SET details = ?, previous_hash = ?, hash = ? WHERE sequence = ?", details, previous, hash, e.sequence());
      previous = hash;
    }
    sql("UPDATE audit_head SET hash = ? WHERE id = 1", previous);
    assertTrue(verify().intact(), "the forged chain is self-consistent");
    var problem = checkpoints.verify();
    assertTrue(problem.isPresent() && problem.get().contains("entry 5"), problem.toString());
  }

  @Test
  void reorderedEntries_areCaught() {
    sql("UPDATE audit_log SET sequence = 100 WHERE sequence = 2");
    sql("UPDATE audit_log SET sequence = 2 WHERE sequence = 3");
    sql("UPDATE audit_log SET sequence = 3 WHERE sequence = 100");
    var r = verify();
    assertFalse(r.intact());
    assertEquals(2, r.firstBadSequence());
  }

  @Test
  void archive_removesEntriesUpToTheOneNamed_andTheChainLeftVerifiesFromIt() {
    var checkpoints = checkpoints();
    var archive = new AuditArchive(db.jdbi(), log, checkpoints, clock);
    String three = log.list(2, 1).get(0).hash();
    assertEquals(new AuditArchive.Archived(1, 3, 3), archive.archive("local", 1, "", 3, three, "ab".repeat(32)));
    assertEquals(new AuditEntry.Head(3, three), log.archived());
    var left = log.list(0, 10);
    assertEquals(java.util.List.of(4L, 5L, 6L), left.stream().map(AuditEntry::sequence).toList());
    assertEquals("audit.archive", left.get(2).action());
    var r = verify();
    assertTrue(r.intact(), r.problem());
    assertEquals(3, r.entriesChecked());
    assertEquals(new AuditEntry.Head(3, three), r.archived());
    assertEquals(java.util.Optional.empty(), checkpoints.verify());
    // The next archive goes on from there.
    String five = left.get(1).hash();
    assertEquals(new AuditArchive.Archived(4, 5, 2), archive.archive("local", 4, three, 5, five, "cd".repeat(32)));
    assertTrue(verify().intact());
    assertEquals(java.util.Optional.empty(), checkpoints.verify());
    assertEquals(java.util.List.of(3L, 5L), checkpoints.archives().stream().map(AuditCheckpoints.Archive::through).toList());
    // The record of the last archive deleted: the entries it held are missing from the chain.
    sql("DELETE FROM audit_archives WHERE through_sequence = 5");
    var broken = verify();
    assertFalse(broken.intact());
    assertEquals(4, broken.firstBadSequence());
  }

  @Test
  void archive_refusesWhatDoesNotMatch_andRemovesNothing() {
    var archive = new AuditArchive(db.jdbi(), log, checkpoints(), clock);
    String three = log.list(2, 1).get(0).hash();
    String sha = "ab".repeat(32);
    var wrongHash = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
        () -> archive.archive("local", 1, "", 3, log.list(1, 1).get(0).hash(), sha));
    assertTrue(wrongHash.getMessage().contains("the file does not hold the log as stored"), wrongHash.getMessage());
    var pastTheHead = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
        () -> archive.archive("local", 1, "", 9, three, sha));
    assertEquals("the audit log ends at entry 5; there is no entry 9", pastTheHead.getMessage());
    var notTheStart = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
        () -> archive.archive("local", 2, log.list(0, 1).get(0).hash(), 3, three, sha));
    assertTrue(notTheStart.getMessage().startsWith("the log goes on from entry 1, not from entry 2"), notTheStart.getMessage());
    var otherHash = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
        () -> archive.archive("local", 1, three, 3, three, sha));
    assertEquals("the file follows the hash '" + three + "', but there is no archive before it: the first follows none",
        otherHash.getMessage());
    var notHex = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
        () -> archive.archive("local", 1, "", 3, three, "nope"));
    assertEquals("the file's SHA-256 must be 64 lower-case hex digits, not 'nope'", notHex.getMessage());
    assertEquals(5, log.list(0, 10).size());
    sql("UPDATE audit_log SET details = ? WHERE sequence = 2", "scope tag:none");
    var broken = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.BulwarkException.class,
        () -> archive.archive("local", 1, "", 3, three, sha));
    assertTrue(broken.getMessage().startsWith("the audit log does not verify, so nothing is archived: entry 2"),
        broken.getMessage());
    assertEquals(5, log.list(0, 10).size(), "an edited entry is never archived out of sight");
    assertEquals(new AuditEntry.Head(0, ""), log.archived());
  }

  @Test
  void theChainRightAfterAnArchive_isSignedAtOnce_soRewritingItShows() {
    var checkpoints = checkpoints();
    String five = log.list(4, 1).get(0).hash();
    new AuditArchive(db.jdbi(), log, checkpoints, clock).archive("local", 1, "", 5, five, "ab".repeat(32));
    // Entry 6 records the archive; a forger rewrites it, chained to the archive as the log would.
    AuditEntry six = log.list(5, 1).get(0);
    String hash = AuditChain.hash(6, six.at(), six.actor(), six.action(), six.subject(), "nothing archived", five);
    sql("UPDATE audit_log SET details = ?, hash = ? WHERE sequence = 6", "nothing archived", hash);
    sql("UPDATE audit_head SET hash = ? WHERE id = 1", hash);
    assertTrue(verify().intact(), "the forged entry chains");
    assertEquals(java.util.Optional.of("entry 6 differs from the signed checkpoint (the chain was rewritten)"),
        checkpoints.verify());
  }

  @Test
  void continues_checksTheEntriesAfterOne_upToTheHead() {
    AuditEntry two = log.list(1, 1).get(0);
    var from = new AuditEntry.Head(2, two.hash());
    var verifier = new AuditVerifier(log);
    assertEquals(java.util.Optional.empty(), verifier.continues(from, log.head()));
    assertEquals(java.util.Optional.of("the chain ends at entry 5 but the recorded head is entry 6"),
        verifier.continues(from, new AuditEntry.Head(6, log.head().hash())));
    sql("UPDATE audit_log SET details = ? WHERE sequence = 4", "scope tag:none");
    assertEquals(java.util.Optional.of("entry 4 was changed after it was written (hash differs)"),
        verifier.continues(from, log.head()));
  }

  @Test
  void archiveRecordedByHand_toHideEntries_isCaughtByItsSignature() {
    var checkpoints = checkpoints();
    // A real signature of the controller's, over the head: it does not pass for an archive's.
    var head = checkpoints.checkpoint().orElseThrow();
    sql("DELETE FROM audit_log");
    sql("INSERT INTO audit_archives (through_sequence, hash, first_sequence, file_sha256, signature, actor, at)"
        + " VALUES (5, ?, 1, ?, ?, 'mallory', 0)", head.hash(), "00".repeat(32), head.signature());
    assertTrue(verify().intact(), "no entry left, and the head follows the archive");
    assertEquals(java.util.Optional.of("the archive of entries 1 to 5 is not signed by this controller"),
        checkpoints.verify());
  }

  private AuditCheckpoints checkpoints() {
    var signer = io.bulwark.controller.pki.BundleSigner.create();
    return new AuditCheckpoints(db.jdbi(), log, signer::sign, signer.publicKey(), clock);
  }
}
