package io.bulwark.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.bundle.ApplyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusOutboxTest {

  @TempDir Path dir;

  private static ApplyReport report(long generation, ApplyReport.Phase phase, String error) {
    return new ApplyReport(generation, phase, "ab".repeat(32), error, 1_700_000_000_000L + generation);
  }

  @Test
  void append_numbersReportsInOrder_andPendingReadsThemBackExactly() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
    ApplyReport first = report(3, ApplyReport.Phase.APPLYING, "");
    ApplyReport second = report(3, ApplyReport.Phase.FAILED, "Error: line 1\n  with = and : and é");

    outbox.append(first);
    outbox.append(second);

    assertEquals(
        List.of(new StatusOutbox.Entry(1, first), new StatusOutbox.Entry(2, second)),
        outbox.pending());
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("outbox"))));
  }

  @Test
  void acknowledge_forgetsEverythingUpToTheSequence() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
    for (int i = 1; i <= 3; i++) {
      outbox.append(report(i, ApplyReport.Phase.APPLIED, ""));
    }

    outbox.acknowledge(2);

    assertEquals(List.of(3L), outbox.pending().stream().map(StatusOutbox.Entry::sequence).toList());
  }

  @Test
  void reopened_keepsUnacknowledgedReports_andSequencesKeepRising_evenWhenEmpty() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
    outbox.append(report(1, ApplyReport.Phase.APPLIED, ""));
    outbox.append(report(2, ApplyReport.Phase.APPLIED, ""));
    outbox.acknowledge(1);

    StatusOutbox reopened = new StatusOutbox(dir.resolve("outbox"));
    assertEquals(List.of(2L), reopened.pending().stream().map(StatusOutbox.Entry::sequence).toList());
    reopened.acknowledge(2);

    StatusOutbox again = new StatusOutbox(dir.resolve("outbox"));
    assertEquals(List.of(), again.pending());
    assertEquals(3, again.append(report(3, ApplyReport.Phase.APPLIED, "")).sequence());
  }

  @Test
  void full_dropsTheOldestReports_fileAndAll() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"), 3);
    for (int i = 1; i <= 5; i++) {
      outbox.append(report(i, ApplyReport.Phase.APPLIED, ""));
    }

    assertEquals(List.of(3L, 4L, 5L), outbox.pending().stream().map(StatusOutbox.Entry::sequence).toList());
    try (var files = Files.list(dir.resolve("outbox"))) {
      assertEquals(List.of("0000000000000000003.report", "0000000000000000004.report", "0000000000000000005.report",
          "sequence"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void corruptReport_isSetAside_andDoesNotHoldBackTheOthers() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
    outbox.append(report(1, ApplyReport.Phase.APPLIED, ""));
    outbox.append(report(2, ApplyReport.Phase.APPLIED, ""));
    Path first = dir.resolve("outbox").resolve(String.format("%019d.report", 1));
    Files.writeString(first, "phase=EXPLODED\n");

    List<StatusOutbox.Entry> pending = outbox.pending();

    assertEquals(List.of(2L), pending.stream().map(StatusOutbox.Entry::sequence).toList());
    assertTrue(Files.exists(first.resolveSibling(first.getFileName() + ".corrupt")));
  }

  @Test
  void reportsFoundOnDisk_areDeletedWhenAcknowledged_evenBesideOnesThatAreNotUtf8OrNotPadded() throws Exception {
    StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
    outbox.append(report(1, ApplyReport.Phase.APPLIED, ""));
    outbox.append(report(2, ApplyReport.Phase.APPLIED, ""));
    Path outboxDir = dir.resolve("outbox");
    Path first = outboxDir.resolve(String.format("%019d.report", 1));
    Files.write(first, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
    Files.writeString(first.resolveSibling(first.getFileName() + ".corrupt"), "set aside before\n");
    // A name without the leading zeros, as another tool might have left it.
    Files.move(outboxDir.resolve(String.format("%019d.report", 2)), outboxDir.resolve("2.report"));

    StatusOutbox reopened = new StatusOutbox(outboxDir);
    assertEquals(List.of(2L), reopened.pending().stream().map(StatusOutbox.Entry::sequence).toList());
    reopened.append(report(3, ApplyReport.Phase.APPLIED, ""));
    reopened.acknowledge(3);

    assertEquals(List.of(), reopened.pending());
    try (var files = Files.list(outboxDir)) {
      assertEquals(List.of("0000000000000000001.report.corrupt", "sequence"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void twoFilesOfOneSequence_oneIsSetAside_andTheOtherDeletedWhenAcknowledged() throws Exception {
    Path outboxDir = dir.resolve("outbox");
    StatusOutbox outbox = new StatusOutbox(outboxDir);
    outbox.append(report(1, ApplyReport.Phase.APPLIED, ""));
    Files.copy(outboxDir.resolve(String.format("%019d.report", 1)), outboxDir.resolve("1.report"));

    StatusOutbox reopened = new StatusOutbox(outboxDir);
    assertEquals(List.of(1L), reopened.pending().stream().map(StatusOutbox.Entry::sequence).toList());
    reopened.acknowledge(1);

    try (var files = Files.list(outboxDir)) {
      assertEquals(List.of("1.report.duplicate", "sequence"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }
}
