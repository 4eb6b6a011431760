package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.testing.FakeApplier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleProcessorTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  private static final String RULES = "table inet bulwark {\n}\n";

  @TempDir Path dir;

  @Test
  void appliedBundle_isRecorded_andListenerTold() {
    AppliedStateStore store = new AppliedStateStore(dir.resolve("state.properties"));
    List<AppliedState> told = new ArrayList<>();
    List<ApplyReport> reports = new ArrayList<>();
    BundleProcessor processor =
        new BundleProcessor(new FakeApplier("nftables"), store, CLOCK, Runnable::run, told::add);

    processor.submit(
        new RuleBundle(9, "nftables", RULES, BundleCheck.sha256Hex(RULES)), reports::add);

    AppliedState expected = new AppliedState(9, BundleCheck.sha256Hex(RULES));
    assertEquals(expected, processor.applied());
    assertEquals(expected, store.load());
    assertEquals(List.of(expected), told);
    assertEquals(
        List.of(ApplyReport.Phase.APPLYING, ApplyReport.Phase.APPLIED),
        reports.stream().map(ApplyReport::phase).toList());
    assertEquals(CLOCK.millis(), reports.get(1).atMillis());
  }

  @Test
  void failedBundle_isNotRecorded_andItsLongErrorIsTrimmed() {
    AppliedStateStore store = new AppliedStateStore(dir.resolve("state.properties"));
    FakeApplier applier =
        new FakeApplier("nftables").then(new ApplyOutcome.Failed("é".repeat(5000)));
    List<ApplyReport> reports = new ArrayList<>();
    BundleProcessor processor = new BundleProcessor(applier, store, CLOCK, Runnable::run, s -> {});

    processor.submit(
        new RuleBundle(9, "nftables", RULES, BundleCheck.sha256Hex(RULES)), reports::add);

    ApplyReport failed = reports.get(1);
    assertEquals(ApplyReport.Phase.FAILED, failed.phase());
    int bytes = failed.error().getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes <= 4096 && bytes >= 4094, "trimmed to " + bytes + " bytes");
    assertEquals(AppliedState.NONE, store.load());
    assertEquals(AppliedState.NONE, processor.applied());
  }
}
