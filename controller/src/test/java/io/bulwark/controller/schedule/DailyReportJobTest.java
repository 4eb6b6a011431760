package io.bulwark.controller.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily compliance report: once a day, catching up after downtime, never half-written. */
class DailyReportJobTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T23:50:00Z");
  private final AtomicInteger builds = new AtomicInteger();
  @TempDir Path data;
  private Database db;
  private JdbcAuditLog audit;
  private Path dir;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    audit = new JdbcAuditLog(db.jdbi(), clock);
    dir = data.resolve("reports");
  }

  @AfterEach
  void close() {
    db.close();
  }

  private DailyReportJob job(List<String> formats) {
    return new DailyReportJob(dir, formats, asked -> {
      int n = builds.incrementAndGet();
      Map<String, byte[]> out = new LinkedHashMap<>();
      asked.forEach(f -> out.put(f, ("report " + n + " at " + clock.instant() + " as " + f).getBytes(StandardCharsets.UTF_8)));
      return out;
    }, audit, clock);
  }

  @Test
  void writesTodaysReportOnce_thenTomorrowsAtTheFirstRunAfterMidnight() throws Exception {
    var job = job(List.of("json", "html"));
    List<Path> first = job.writeIfDue();
    assertEquals(List.of(dir.resolve("compliance-2026-12-04.json"), dir.resolve("compliance-2026-12-04.html")), first);
    assertEquals("report 1 at 2026-12-04T23:50:00Z as json", Files.readString(first.get(0)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.get(0))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    assertEquals(1, builds.get(), "one report build for every format");

    clock.advance(Duration.ofMinutes(5));
    assertEquals(List.of(), job.writeIfDue(), "already written today");
    assertEquals(1, builds.get());

    clock.advance(Duration.ofHours(30));
    List<Path> later = job.writeIfDue();
    assertEquals(dir.resolve("compliance-2026-12-06.json"), later.get(0), "named after the day it was made on (UTC)");
    assertTrue(Files.exists(job.fileFor(LocalDate.parse("2026-12-04"), "html")), "earlier days are kept");

    var entries = audit.list(0, 100).stream().filter(e -> e.action().equals("report.daily")).toList();
    assertEquals(2, entries.size());
    String expectedDigest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(first.get(0))));
    assertTrue(entries.get(0).details().contains("compliance-2026-12-04.json sha256:" + expectedDigest),
        entries.get(0).details());
  }

  @Test
  void aCrashMidWrite_leavesNoPartialReport_andTheNextRunWritesWhatIsMissing() throws Exception {
    // What a crash between writing and renaming leaves behind.
    Files.createDirectories(dir);
    Path leftover = dir.resolve(".compliance-2026-12-04.json.partial");
    Files.writeString(leftover, "{\"devices\": [");
    // A renderer that dies after producing only one of the two formats.
    var failing = new DailyReportJob(dir, List.of("json", "html"),
        asked -> Map.of("json", "{}".getBytes(StandardCharsets.UTF_8)), audit, clock);
    var e = assertThrows(IllegalStateException.class, failing::writeIfDue);
    assertTrue(e.getMessage().contains("html"), e.getMessage());
    assertFalse(Files.exists(leftover), "half-written files are removed");
    assertTrue(Files.exists(dir.resolve("compliance-2026-12-04.json")), "the complete file stays");
    assertFalse(Files.exists(dir.resolve("compliance-2026-12-04.html")));

    List<Path> next = job(List.of("json", "html")).writeIfDue();
    assertEquals(List.of(dir.resolve("compliance-2026-12-04.html")), next, "only the missing format is written");
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("compliance-2026-12-04.json")));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("compliance-2026-12-04.html", "compliance-2026-12-04.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anUnwritableDirectory_isReportedWithItsPath() throws Exception {
    Files.writeString(data.resolve("reports"), "not a directory");
    var e = assertThrows(java.io.UncheckedIOException.class, () -> job(List.of("csv")).writeIfDue());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }
}
