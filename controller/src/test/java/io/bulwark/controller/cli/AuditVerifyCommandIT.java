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

  @Test
  void archive_movesTheOldestEntriesToAFile_whichVerifiesAndJoinsTheLogLeft() throws Exception {
    for (int i = 1; i <= 4; i++) {
      assertEquals(0, run("guard", "add", "partner" + i + ".example", "--reason", "mail relay").exit());
    }
    java.nio.file.Path file = controller.dataDir().resolve("audit-1.jsonl");
    RunningController.Run archived = run("audit", "archive", "--through", "3", "--out", file.toString());
    assertEquals(0, archived.exit(), archived.out() + archived.err());
    assertTrue(archived.out().startsWith("archived entries 1 to 3 (3 removed) to "), archived.out());
    assertEquals(5, java.nio.file.Files.readAllLines(file).size(), "header, three entries, trailer");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(file)));

    RunningController.Run verified = run("audit", "verify", "--archive", file.toString());
    assertEquals(0, verified.exit(), verified.out());
    assertTrue(verified.out().startsWith("audit log intact: ") && verified.out().contains(" entries after entry 3"
        + " (archived)"), verified.out());
    assertTrue(verified.out().contains("the archives join the controller's log at entry 3"), verified.out());
    RunningController.Run again = run("audit", "archive", "--through", "3", "--out", file + ".2");
    assertEquals(2, again.exit(), again.out());
    assertTrue(again.err().contains("entries up to 3 are archived already"), again.err());
    RunningController.Run taken = run("audit", "archive", "--through", "5", "--out", file.toString());
    assertEquals(2, taken.exit(), taken.out());
    assertTrue(taken.err().contains("exists; an archive never replaces a file"), taken.err());

    java.nio.file.Path second = controller.dataDir().resolve("audit-2.jsonl");
    RunningController.Run none = run("audit", "archive", "--before", "2001-01-01", "--out", second.toString());
    assertEquals(0, none.exit(), none.out() + none.err());
    assertTrue(none.out().startsWith("nothing to archive: no entry after 3 was written before 2001-01-01T00:00:00Z"),
        none.out());
    assertTrue(!java.nio.file.Files.exists(second), "no file for nothing");
    RunningController.Run rest = run("audit", "archive", "--before", "2101-01-01", "--out", second.toString());
    assertEquals(0, rest.exit(), rest.out() + rest.err());
    RunningController.Run both = run("audit", "verify", "--archive", file.toString(), second.toString());
    assertEquals(0, both.exit(), both.out());
    assertTrue(both.out().contains("with it they hold every entry from the first"), both.out());
    RunningController.Run onlyTheFirst = run("audit", "verify", "--archive", file.toString());
    assertEquals(1, onlyTheFirst.exit(), onlyTheFirst.out());
    assertTrue(onlyTheFirst.out().contains("the archives after it are missing here"), onlyTheFirst.out());
    RunningController.Run onlyTheLast = run("audit", "verify", "--archive", second.toString());
    assertEquals(1, onlyTheLast.exit(), onlyTheLast.out());
    assertTrue(onlyTheLast.out().contains("the archives before entry 4 are not among these: give them too"),
        onlyTheLast.out());
    assertEquals(0, run("audit", "verify", "--archive", second.toString(), "--partial").exit());
    // The same entries, written otherwise: not the file recorded.
    java.nio.file.Path copy = controller.dataDir().resolve("audit-1-copy.jsonl");
    java.nio.file.Files.writeString(copy, java.nio.file.Files.readString(file).replaceFirst("\\{\"format\":",
        "{\"format\": "));
    RunningController.Run other = run("audit", "verify", "--archive", copy.toString(), second.toString());
    assertEquals(1, other.exit(), other.out());
    assertTrue(other.out().contains("is not the file the controller recorded for entries 1 to 3"), other.out());
    RunningController.Run swapped = run("audit", "verify", "--archive", second.toString(), file.toString());
    assertEquals(1, swapped.exit(), swapped.out());
    assertTrue(swapped.out().contains("does not follow the one before it"), swapped.out());

    // The file edited: its chain shows where.
    String text = java.nio.file.Files.readString(file).replace("partner2.example", "partner9.example");
    java.nio.file.Files.writeString(file, text);
    RunningController.Run edited = run("audit", "verify", "--archive", file.toString());
    assertEquals(1, edited.exit(), edited.out());
    assertTrue(edited.out().matches("(?s).*archive BROKEN: entry [1-3] was changed after it was written.*"), edited.out());
  }

  private RunningController.Run run(String... args) {
    return controller.run(args);
  }
}
