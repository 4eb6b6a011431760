package io.bulwark.agent.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedStateStoreTest {

  private static final String DIGEST = "0123456789abcdef".repeat(4);

  @TempDir Path dir;

  @Test
  void load_withoutFile_isNothingApplied() {
    assertEquals(AppliedState.NONE, new AppliedStateStore(dir.resolve("state.properties")).load());
  }

  @Test
  void save_thenLoad_inANewStore_givesTheSameState() throws Exception {
    Path file = dir.resolve("state.properties");
    new AppliedStateStore(file).save(new AppliedState(42, DIGEST));

    assertEquals(new AppliedState(42, DIGEST), new AppliedStateStore(file).load());
  }

  @Test
  void save_replacesAtomically_ownerOnly_andLeavesNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("state.properties");
    AppliedStateStore store = new AppliedStateStore(file);
    store.save(new AppliedState(1, DIGEST));
    store.save(new AppliedState(2, DIGEST));

    assertEquals(2, store.load().generation());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void load_corruptFile_namesItAndTheValues() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("state.properties"),
            "applied_generation=twelve\napplied_digest=" + DIGEST + "\n");

    AgentException e = assertThrows(AgentException.class, () -> new AppliedStateStore(file).load());

    assertTrue(
        e.getMessage().startsWith(file + " is corrupt (applied_generation='twelve'"),
        e.getMessage());
  }
}
