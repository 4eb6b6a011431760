package io.bulwark.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerProcessTest {

  @Test
  void niceness_zeroRunsTheJvmDirectly_aboveZeroThroughNice() {
    assertEquals(List.of(), WorkerProcess.nicePrefix(0));
    assertEquals(List.of("nice", "-n", "10"), WorkerProcess.nicePrefix(10));
    assertEquals(List.of("nice", "-n", "19"), WorkerProcess.nicePrefix(19));
  }

  @Test
  void nicenessOutOfRange_isRefusedByName() {
    assertEquals("niceness must be 0 to 19, not 20",
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(20)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(-1));
  }
}
