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
  void memory_halfAMegabyteAnAgentForSmallRuleSets_moreForLargeOnes() {
    // 10,000 terms: the heap as it always was, direct memory the JVM's default (the heap's ceiling).
    WorkerProcess.Memory small = WorkerProcess.memory(1000, FleetBench.ruleSetBytes(10_000, 1000, 3));
    assertEquals(96 + 500, small.heapMb());
    assertEquals(small.heapMb(), small.directMb());
    // 100,000 terms (1.7 MB): two copies an agent, and a 1 MiB chunk per stream in flight.
    WorkerProcess.Memory large = WorkerProcess.memory(1000, FleetBench.ruleSetBytes(100_000, 0, 0));
    assertEquals(96 + 1000L * (2 * 1_704_096 / 1024) / 1024, large.heapMb());
    assertEquals(large.heapMb() + large.directMb() + 160, large.totalMb());
    assertEquals(2 * large.totalMb(), FleetBench.simulatorMb(2000, 2, FleetBench.ruleSetBytes(100_000, 0, 0)));
  }

  @Test
  void nicenessOutOfRange_isRefusedByName() {
    assertEquals("niceness must be 0 to 19, not 20",
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(20)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(-1));
  }
}
