package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark audit verify} on a running controller whose audit log is then edited behind its back. */
class AuditVerifyCommandIT {
  private Path work;
  private ControllerMain controller;

  @BeforeEach
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-audit-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  @Test
  void editedEntry_isNamed_andTheExitCodeIsOne() {
    assertEquals(0, run("guard", "add", "partner.example", "--reason", "mail relay").exit());
    assertEquals(0, run("guard", "add", "198.51.100.0/24", "--reason", "partner office").exit());
    Run intact = run("audit", "verify");
    assertEquals(0, intact.exit(), intact.out());
    assertTrue(intact.out().startsWith("audit log intact: "), intact.out());

    // Someone with database access edits the second entry's details.
    try (Database db = new Database(Database.h2FileUrl(work), null).start()) {
      assertEquals(1, (int) db.jdbi().withHandle(h -> h.createUpdate(
          "UPDATE audit_log SET details = 'protect: nothing to see' WHERE sequence = 2").execute()));
    }

    Run broken = run("audit", "verify");
    assertEquals(1, broken.exit(), broken.out());
    assertTrue(broken.out().startsWith("audit log BROKEN at entry 2: "), broken.out());
    assertTrue(broken.out().contains("(1 entries before it are intact)"), broken.out());
  }

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      int exit = BulwarkCli.commandLine().execute(full);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
