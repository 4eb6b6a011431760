package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.agent.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWaterMarkTest {

  @TempDir Path dir;

  @Test
  void raise_survivesARestart_andNeverGoesDown() throws Exception {
    Path file = dir.resolve("highwater");
    HighWaterMark mark = new HighWaterMark(file, 0);
    mark.raise(12);
    mark.raise(4);

    HighWaterMark reloaded = new HighWaterMark(file, 0);

    assertEquals(12, reloaded.value());
    assertEquals("12\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void missingFile_startsAtTheAppliedGeneration() {
    assertEquals(5, new HighWaterMark(dir.resolve("highwater"), 5).value());
  }

  @Test
  void corruptFile_isAnErrorNamingIt() throws Exception {
    Path file = dir.resolve("highwater");
    Files.writeString(file, "twelve");

    AgentException e = assertThrows(AgentException.class, () -> new HighWaterMark(file, 0));

    assertEquals(file + " is corrupt: 'twelve' is not a generation", e.getMessage());
  }
}
