package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.agent.host.AtomicFiles;
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

    confirm.prepare(5, "ab".repeat(32), "generation 4 rules\n", Optional.of(rules));
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

    confirm.prepare(5, "ab".repeat(32), "listed rules\n", Optional.of(dir.resolve("absent.rules")));

    assertEquals("listed rules\n", new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow().previousRules());
  }
}
