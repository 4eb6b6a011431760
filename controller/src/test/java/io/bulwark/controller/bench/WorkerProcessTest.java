package io.bulwark.controller.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    WorkerProcess.Memory small = WorkerProcess.memory(1000, FleetBench.toAllBytes(10_000, 1000, 3),
        FleetBench.ruleSetBytes(10_000, 1000, 3));
    assertEquals(96 + 500, small.heapMb());
    assertEquals(small.heapMb(), small.directMb());
    // 100,000 terms (1.7 MB): three copies for each of the streams a large set goes to at once;
    // only deltas reach every agent at once.
    long large = FleetBench.ruleSetBytes(100_000, 1000, 0);
    long toAll = FleetBench.toAllBytes(100_000, 1000, 0);
    assertEquals(4096 + 17 * 1000, toAll);
    WorkerProcess.Memory some = WorkerProcess.memory(1000, toAll, large);
    assertEquals(96 + (1000 * 512 * 1024L + 1000 * 3 * large) / mb, some.heapMb());
    assertEquals(64 + (1000 * toAll * 5 / 4 + 1000 * (mb * 5 / 4)) / mb, some.directMb());
    assertEquals(some.heapMb() + some.directMb() + 160, some.totalMb());
    assertEquals(2 * some.totalMb(), FleetBench.simulatorMb(2000, 2, 100_000, 1000, 0));
    // Beyond the controller's most transfers at once, more agents cost only their own state.
    WorkerProcess.Memory many = WorkerProcess.memory(5000, toAll, large);
    long receiving = io.bulwark.controller.api.TransferBudget.MAX_BYTES / (1024 * 1024);
    assertEquals(96 + (5000 * 512 * 1024L + receiving * 3 * large) / mb, many.heapMb());
  }

  @Test
  void memory_coversSmallFullRuleSetsReachingEveryAgentAtOnce_whenLaterOnesAreLarge() {
    // 10,000 terms growing by 1,000 a minute for 10 minutes: the first full sets go to all 5,000
    // agents of a process at once (below a quarter chunk), the last ones through transfer slots.
    long toAll = FleetBench.toAllBytes(10_000, 1000, 10);
    long largest = FleetBench.ruleSetBytes(10_000, 1000, 10);
    assertEquals(io.bulwark.chunk.RuleChunks.DEFAULT_CHUNK_BYTES / 4, toAll);
    WorkerProcess.Memory memory = WorkerProcess.memory(5000, toAll, largest);
    assertTrue(memory.directMb() >= 5000 * toAll * 5 / 4 / (1024 * 1024), "direct memory " + memory.directMb());
    assertTrue(memory.heapMb() >= 5000 * 2 * toAll / (1024 * 1024), "heap " + memory.heapMb());
  }

  @Test
  void jvmOptions_memoryAndC1Only() {
    assertEquals(List.of("-Xmx600m", "-XX:MaxDirectMemorySize=700m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Dbulwark.log.level=WARN"),
        WorkerProcess.jvmOptions(new WorkerProcess.Memory(600, 700)));
  }

  @Test
  void nicenessOutOfRange_isRefusedByName() {
    assertEquals("niceness must be 0 to 19, not 20",
        assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(20)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerProcess.nicePrefix(-1));
  }
}
