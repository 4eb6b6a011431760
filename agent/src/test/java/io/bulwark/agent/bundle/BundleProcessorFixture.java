package io.bulwark.agent.bundle;

import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.testing.ConfirmAtOnce;
import io.bulwark.agent.testing.FakeApplier;
import io.bulwark.agent.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of {@link BundleProcessor} share: a processor over a fake applier in a temporary data dir. */
abstract class BundleProcessorFixture {

  static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
  static final String RULES = "table inet bulwark {\n}\n";

  @TempDir Path dir;

  final TestSigner controller = new TestSigner();
  final List<ApplyReport> reports = new ArrayList<>();
  BundleProcessor current;
  final CommitConfirm.Requests confirmer = new ConfirmAtOnce(() -> current);

  AppliedStateStore store() {
    return new AppliedStateStore(dir.resolve("state.properties"));
  }

  BundleProcessor processor(
      FakeApplier applier, AppliedStateStore store, List<AppliedState> told) {
    return processor(applier, store, told, Duration.ofSeconds(5));
  }

  BundleProcessor processor(
      FakeApplier applier, AppliedStateStore store, List<AppliedState> told, Duration confirmWindow) {
    current = new BundleProcessor(
        applier,
        store,
        new HighWaterMark(dir.resolve("highwater"), store.load().generation()),
        new BundleVerifier("web-01", controller.publicKey(), CLOCK),
        new CommitConfirm(dir, confirmWindow),
        new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK),
        CLOCK,
        Runnable::run,
        told::add);
    return current;
  }

  /** A processor with commit-confirm on whose generation 1 is a large rule set, applied by {@code applier}. */
  BundleProcessor withLargeApplied(FakeApplier applier) {
    BundleProcessor processor = processor(applier, store(), new ArrayList<>());
    applyFull(processor, 1, BundleVerifierTest.addresses(70_000));
    return processor;
  }

  void applyFull(BundleProcessor processor, long generation, String rules) {
    processor.submit(controller.bundle(TestSigner.header("web-01", generation, rules, CLOCK.instant()).build(), rules),
        reports::add, confirmer);
  }

  static io.bulwark.proto.agent.v1.BundleHeader header(long generation) {
    return TestSigner.header("web-01", generation, RULES, CLOCK.instant()).build();
  }

  RuleBundle bundle(long generation) {
    return controller.bundle(header(generation), RULES);
  }
}
