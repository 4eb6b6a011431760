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
  void memory_halfAMegabyteAnAgentForSmallRuleSets_andLargeOnesOnlyForThoseArriving() {
    long mb = 1024 * 1024;
    // 10,000 terms: half a megabyte an agent, direct memory the JVM's default (the heap's ceiling).
    WorkerProcess.Memory small = WorkerProcess.memory(1000, FleetBench.ruleSetBytes(10_000, 1000, 3));
    assertEquals(96 + 500, small.heapMb());
    assertEquals(small.heapMb(), small.directMb());
    // 100,000 terms (1.7 MB): three copies for each of the streams a large set goes to at once.
    long large = FleetBench.ruleSetBytes(100_000, 0, 0);
    WorkerProcess.Memory some = WorkerProcess.memory(1000, large);
    assertEquals(96 + (1000 * 512 * 1024L + 1000 * 3 * large) / mb, some.heapMb());
    assertEquals(64 + 1000 * (mb * 5 / 4) / mb, some.directMb());
    assertEquals(some.heapMb() + some.directMb() + 160, some.totalMb());
    assertEquals(2 * some.totalMb(), FleetBench.simulatorMb(2000, 2, large));
    // Beyond the controller's most transfers at once, more agents cost only their own state.
    WorkerProcess.Memory many = WorkerProcess.memory(5000, large);
    long receiving = io.bulwark.controller.api.TransferBudget.MAX_SLOTS;
    assertEquals(96 + (5000 * 512 * 1024L + receiving * 3 * large) / mb, many.heapMb());
    assertEquals(64 + receiving * (mb * 5 / 4) / mb, many.directMb());
  }

  @Test
  void nicenessOutOfRange_isRefusedByName() {
    assertEquals("niceness must be 0 to 19, not 20",
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(20)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(-1));
  }
}
