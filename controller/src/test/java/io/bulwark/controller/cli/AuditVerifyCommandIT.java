package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark audit verify} on a running controller whose audit log is then edited behind its back. */
class AuditVerifyCommandIT {
  private RunningController controller;

  @BeforeEach
  void start() throws Exception {
    controller = RunningController.start("audit");
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void editedEntry_isNamed_andTheExitCodeIsOne() {
    assertEquals(0, run("guard", "add", "partner.example", "--reason", "mail relay").exit());
    assertEquals(0, run("guard", "add", "198.51.100.0/24", "--reason", "partner office").exit());
    RunningController.Run intact = run("audit", "verify");
    assertEquals(0, intact.exit(), intact.out());
    assertTrue(intact.out().startsWith("audit log intact: "), intact.out());

    // Someone with database access edits the second entry's details.
    try (Database db = new Database(Database.h2FileUrl(controller.dataDir()), null).start()) {
      assertEquals(1, (int) db.jdbi().withHandle(h -> h.createUpdate(
          "UPDATE audit_log SET details = 'protect: nothing to see' WHERE sequence = 2").execute()));
    }

    RunningController.Run broken = run("audit", "verify");
    assertEquals(1, broken.exit(), broken.out());
    assertTrue(broken.out().startsWith("audit log BROKEN at entry 2: "), broken.out());
    assertTrue(broken.out().contains("(1 entries before it are intact)"), broken.out());
  }

  private RunningController.Run run(String... args) {
    return controller.run(args);
  }
}
