package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.delta.LineDelta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitConfirmTest {

  @TempDir Path dir;

  @Test
  void previousRulesLinkedToTheFileHoldingThem_surviveThatFileBeingReplaced() throws Exception {
    Path rules = dir.resolve("applied.rules");
    AtomicFiles.write(rules, "generation 4 rules\n".getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));

    confirm.prepare(5, "ab".repeat(32), "generation 4 rules\n", Optional.of(new AppliedRulesFile(rules).files()),
        BundleCheck.sha256Hex("generation 4 rules\n"));
    // The new generation's rules replace the file, as the drift check's record does after an apply.
    AtomicFiles.write(rules, "generation 5 rules\n".getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);

    CommitConfirm.Pending left = new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow();
    assertEquals(5, left.generation());
    assertEquals("generation 4 rules\n", left.previousRules());
    assertEquals("generation 5 rules\n", Files.readString(rules));
  }

  @Test
  void withoutAFileHoldingThem_thePreviousRulesAreWritten() throws Exception {
    CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));

    confirm.prepare(5, "ab".repeat(32), "listed rules\n", Optional.of(new AppliedRulesFile(dir.resolve("absent.rules")).files()),
        BundleCheck.sha256Hex("listed rules\n"));

    assertEquals("listed rules\n", new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow().previousRules());
  }

  @Test
  void previousRulesHeldAsAFullCopyAndAJournal_areRebuilt_evenAfterBothAreReplaced() throws Exception {
    Path rules = dir.resolve("applied.rules");
    DriftCheck drift = new DriftCheck(new DryRunApplier(dir.resolve("host")), rules, DriftCheck.Policy.REPORT, java.time.Clock.systemUTC());
    String four = "table inet bulwark {\n  a\n  b\n}\n";
    String five = "table inet bulwark {\n  a\n  b\n  c\n}\n";
    drift.remember(four);
    drift.remember(five, BundleCheck.sha256Hex(five), LineDelta.between(four, five), four, BundleCheck.sha256Hex(four));
    assertTrue(Files.exists(dir.resolve("applied.rules.journal")), "generation 5 went to the journal");
    CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));

    confirm.prepare(6, "ab".repeat(32), five, drift.filesHolding(five, BundleCheck.sha256Hex(five)),
        BundleCheck.sha256Hex(five));
    drift.remember("generation 6 rules\n");

    assertEquals(five, new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow().previousRules());
    confirm.settle();
    try (var left = Files.list(dir)) {
      assertEquals(java.util.List.of("applied.rules"),
          left.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("confirm") || f.startsWith("applied"))
              .sorted().toList());
    }
  }

  @Test
  void leftover_saysWhetherTheApplyHadStarted_andARecordWrittenAgainForgetsAnEarlierMark() throws Exception {
    CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));
    confirm.prepare(5, "ab".repeat(32), "generation 4 rules\n");
    CommitConfirm.Pending checked = new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow();
    assertFalse(checked.applyStarted());
    assertEquals("generation 4 rules\n", checked.previousRules());

    confirm.applying();
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow().applyStarted());

    // A mark without its record (a stop in the middle of finish) does not carry over to the next apply.
    Files.delete(dir.resolve("confirm-pending.properties"));
    assertTrue(confirm.leftover().isEmpty());
    confirm.prepare(6, "cd".repeat(32), "generation 5 rules\n");
    assertFalse(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow().applyStarted());

    confirm.applying();
    confirm.settle();
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
    assertFalse(Files.exists(dir.resolve("confirm-applying")));
  }
}
