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

  private void advanceTo(String instant) {
    clock.advance(Duration.between(clock.instant(), java.time.Instant.parse(instant)));
  }

  private DailyReportJob jobAt(String time) {
    return new DailyReportJob(dir, List.of("json"), java.time.LocalTime.parse(time), asked -> {
      builds.incrementAndGet();
      return Map.of("json", ("report at " + clock.instant()).getBytes(StandardCharsets.UTF_8));
    }, audit, clock);
  }

  @Test
  void atAConfiguredTime_theDaysReportIsWrittenAtTheFirstRunAtOrAfterIt_notAtMidnight() throws Exception {
    var job = jobAt("06:30");
    assertEquals(List.of(dir.resolve("compliance-2026-12-04.json")), job.writeIfDue(),
        "23:50 is past 06:30: the 4th's report is due");

    clock.advance(Duration.ofMinutes(25)); // 00:15 on the 5th: not due yet
    assertEquals(List.of(), job.writeIfDue());
    advanceTo("2026-12-05T06:15:00Z");
    assertEquals(List.of(), job.writeIfDue(), "a quarter of an hour early");
    assertFalse(Files.exists(dir.resolve("compliance-2026-12-05.json")));

    advanceTo("2026-12-05T06:30:00Z");
    assertEquals(List.of(dir.resolve("compliance-2026-12-05.json")), job.writeIfDue(), "due at 06:30 sharp");
    assertEquals("report at 2026-12-05T06:30:00Z", Files.readString(dir.resolve("compliance-2026-12-05.json")));
    clock.advance(Duration.ofMinutes(15));
    assertEquals(List.of(), job.writeIfDue(), "once a day");
    assertEquals(2, builds.get());
  }

  @Test
  void atAConfiguredTime_aDowntimeOverItIsCaughtUpAtTheNextRun() {
    var job = jobAt("06:30");
    job.writeIfDue();
    advanceTo("2026-12-05T06:00:00Z"); // the last check before the controller stops
    assertEquals(List.of(), job.writeIfDue());

    advanceTo("2026-12-05T11:40:00Z"); // back after five hours
    assertEquals(List.of(dir.resolve("compliance-2026-12-05.json")), job.writeIfDue());

    advanceTo("2026-12-07T02:00:00Z"); // down over the 6th's time, back before the 7th's
    assertEquals(List.of(dir.resolve("compliance-2026-12-06.json")), job.writeIfDue(),
        "the latest report that is due, named after its day");
  }

  @Test
  void dueDay_isTodayFromTheConfiguredTimeOnAndYesterdayBefore() {
    var job = jobAt("18:05");
    assertEquals(LocalDate.parse("2026-12-04"), job.dueDay(java.time.Instant.parse("2026-12-05T18:04:59Z")));
    assertEquals(LocalDate.parse("2026-12-05"), job.dueDay(java.time.Instant.parse("2026-12-05T18:05:00Z")));
    var midnight = job(List.of("json"));
    assertEquals(LocalDate.parse("2026-12-05"), midnight.dueDay(java.time.Instant.parse("2026-12-05T00:00:00Z")),
        "by default a day's report is due from midnight");
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
