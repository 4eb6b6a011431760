package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.testing.FakeApplier;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleProcessorTest extends BundleProcessorFixture {

  @Test
  void appliedBundle_isRecorded_andListenerTold() {
    AppliedStateStore store = store();
    List<AppliedState> told = new ArrayList<>();
    BundleProcessor processor = processor(new FakeApplier("nftables"), store, told);

    processor.submit(bundle(9), reports::add, confirmer);

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
    AppliedStateStore store = store();
    FakeApplier applier =
        new FakeApplier("nftables").then(new ApplyOutcome.Failed("é".repeat(5000)));
    BundleProcessor processor = processor(applier, store, new ArrayList<>());

    processor.submit(bundle(9), reports::add, confirmer);

    ApplyReport failed = reports.get(1);
    assertEquals(ApplyReport.Phase.FAILED, failed.phase());
    int bytes = failed.error().getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes <= 4096 && bytes >= 4094, "trimmed to " + bytes + " bytes");
    assertEquals(AppliedState.NONE, store.load());
    assertEquals(AppliedState.NONE, processor.applied());
  }

  @Test
  void rejectedBundle_keepsTheCurrentRules_andIsReportedWithTheReason() {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = processor(applier, store(), new ArrayList<>());
    processor.submit(bundle(9), reports::add, confirmer);
    reports.clear();

    processor.submit(new TestSigner().bundle(header(10), RULES), reports::add, confirmer);

    assertEquals(1, reports.size());
    assertEquals(ApplyReport.Phase.REJECTED, reports.get(0).phase());
    assertTrue(reports.get(0).error().startsWith("bad signature"), reports.get(0).error());
    assertEquals(List.of(RULES), applier.applied());
    assertEquals(9, processor.applied().generation());
  }

  @Test
  void restart_keepsTheHighWaterMark_evenWhenTheApplyFailed() {
    FakeApplier failing = new FakeApplier("nftables").then(new ApplyOutcome.Failed("nft broke"));
    processor(failing, store(), new ArrayList<>()).submit(bundle(9), reports::add, confirmer);
    assertEquals(AppliedState.NONE, store().load());
    reports.clear();

    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor restarted = processor(applier, store(), new ArrayList<>());
    restarted.submit(bundle(8), reports::add, confirmer);

    assertEquals(ApplyReport.Phase.REJECTED, reports.get(0).phase());
    assertTrue(reports.get(0).error().contains("rollback refused"), reports.get(0).error());
    assertTrue(applier.applied().isEmpty());
  }

  @Test
  void unconfirmedDelta_restoresTheRulesThatWereInPlace_readWhileItWasChecked() {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = processor(applier, store(), new ArrayList<>(), Duration.ofMillis(200));
    processor.submit(bundle(1), reports::add, confirmer);
    String next = RULES + "# more\n";
    RuleBundle signed = controller.bundle(
        TestSigner.header("web-01", 2, next, CLOCK.instant()).setBaseGeneration(1).build(), "");
    RuleBundle delta = new RuleBundle(2, signed.target(), "", signed.digest(), signed.signedHeader(),
        signed.signature(), LineDelta.between(RULES, next));
    CommitConfirm.Requests unanswered = new CommitConfirm.Requests() {
      @Override
      public void request(long generation, byte[] nonce) {}

      @Override
      public void cancel() {}
    };

    processor.submit(delta, reports::add, unanswered);

    assertEquals(List.of(RULES), applier.restored(), "the rules in place before the delta");
    assertEquals(RULES, applier.live());
    assertEquals(ApplyReport.Phase.ROLLED_BACK, reports.get(reports.size() - 1).phase());
    assertEquals(1, processor.applied().generation());
  }

  @Test
  void start_withALargeRuleSetApplied_cutsItIntoBlocks_forTheFirstDelta() throws Exception {
    StringBuilder text = new StringBuilder("table inet bulwark {\n");
    for (int i = 0; i < 70_000; i++) {
      text.append("  10.").append(i >> 16).append('.').append((i >> 8) & 255).append('.').append(i & 255).append(",\n");
    }
    String large = text.append("}\n").toString();
    processor(new FakeApplier("nftables"), store(), new ArrayList<>()).submit(
        controller.bundle(TestSigner.header("web-01", 9, large, CLOCK.instant()).build(), large), reports::add, confirmer);
    FakeApplier applier = new FakeApplier("nftables");
    DriftCheck drift = new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK);
    new BundleProcessor(applier, store(), new HighWaterMark(dir.resolve("highwater"), 9),
        new BundleVerifier("web-01", controller.publicKey(), CLOCK), new CommitConfirm(dir, Duration.ofSeconds(5)),
        drift, CLOCK, Runnable::run, state -> { }).recover(reports::add);

    assertEquals(List.of(large), applier.known());
    var lines = drift.lines(applier.known().get(0));
    for (int i = 0; i < 500 && !lines.hasBlocks(); i++) {
      Thread.sleep(10);
    }
    assertTrue(lines.hasBlocks(), "the rules read back at start are cut on a hashing thread");
  }

  @Test
  void deltaWhoseRulesCannotBeMade_afterItsChangeWasApplied_restoresTheRulesInPlace() throws Exception {
    String large = BundleVerifierTest.addresses(70_000);
    String next = large.replace("  10.0.0.7,\n", "");
    String nextDigest = BundleCheck.sha256Hex(next);
    // Verified rules are kept by digest; keeping the delta's result fails, as making it could.
    RuleTexts failing = (digest, verified) -> {
      if (digest.equals(nextDigest)) {
        throw new IllegalStateException("no memory left for the rules");
      }
      return verified;
    };
    FakeApplier applier = new FakeApplier("nftables");
    DriftCheck drift = new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK);
    current = new BundleProcessor(applier, store(), new HighWaterMark(dir.resolve("highwater"), 0),
        new BundleVerifier("web-01", controller.publicKey(), CLOCK, failing),
        new CommitConfirm(dir, Duration.ofSeconds(5)), drift, CLOCK, Runnable::run, state -> { });
    current.submit(controller.bundle(TestSigner.header("web-01", 1, large, CLOCK.instant()).build(), large),
        reports::add, confirmer);
    for (int i = 0; i < 500 && !drift.lines(applier.live()).hasBlocks(); i++) {
      Thread.sleep(10); // cut on a hashing thread, so that the delta is checked by blocks first
    }

    current.submit(BundleVerifierTest.deltaBundle(controller, 2, 1, large, next, LineBlocks.digestHex(next)),
        reports::add, confirmer);

    ApplyReport last = reports.get(reports.size() - 1);
    assertEquals(ApplyReport.Phase.FAILED, last.phase());
    assertTrue(last.error().contains("the rules could not be rebuilt from the delta")
        && last.error().contains("the previous rules were put back"), last.error());
    assertEquals(List.of(large), applier.restored(), "the change put in place is undone");
    assertEquals(large, applier.live());
    assertEquals(1, current.applied().generation());
  }

  @Test
  void largeDelta_writesItsRecordsWhileChecked_andClearsTheCommitConfirmRecordWhenRefused() throws Exception {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = withLargeApplied(applier);
    String large = applier.live();
    String next = large.replace("  10.0.0.7,\n", "");
    RuleBundle signedForNext = BundleVerifierTest.deltaBundle(controller, 2, 1, large, next, LineBlocks.digestHex(next));
    // Signed for one result, carrying edits that make another.
    RuleBundle forged = new RuleBundle(2, "nftables", "", signedForNext.digest(), signedForNext.signedHeader(),
        signedForNext.signature(), LineDelta.between(large, large.replace("  10.0.0.9,\n", "")));
    long started = BeforeApply.WRITTEN_MEANWHILE.get();

    processor.submit(forged, reports::add, confirmer);

    assertEquals(started + 1, BeforeApply.WRITTEN_MEANWHILE.get(), "written while the delta was checked");
    assertEquals(ApplyReport.Phase.REJECTED, reports.get(reports.size() - 1).phase());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty(), "no record left to roll back");
    assertEquals(2, new HighWaterMark(dir.resolve("highwater"), 0).value(), "raised for the signed generation");
    assertEquals(List.of(large), applier.applied());

    processor.submit(signedForNext, reports::add, confirmer);

    assertEquals(started + 2, BeforeApply.WRITTEN_MEANWHILE.get());
    assertEquals(ApplyReport.Phase.APPLIED, reports.get(reports.size() - 1).phase());
    assertEquals(next, applier.live());
    assertEquals(2, processor.applied().generation());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
    assertEquals(2, new HighWaterMark(dir.resolve("highwater"), 0).value());
  }

  @Test
  void largeDeltaOfAGenerationRolledBackBefore_isNotApplied_andLeavesNoCommitConfirmRecord() throws Exception {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = withLargeApplied(applier);
    String large = applier.live();
    new CommitConfirm(dir, Duration.ofSeconds(5)).rememberRollback(2, "cut the controller off");
    String next = large.replace("  10.0.0.7,\n", "");
    long started = BeforeApply.WRITTEN_MEANWHILE.get();

    processor.submit(BundleVerifierTest.deltaBundle(controller, 2, 1, large, next, LineBlocks.digestHex(next)),
        reports::add, confirmer);

    assertEquals(started, BeforeApply.WRITTEN_MEANWHILE.get(), "nothing written for a generation rolled back before");
    assertEquals(ApplyReport.Phase.ROLLED_BACK, reports.get(reports.size() - 1).phase());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty(), "no record left to roll back");
    assertEquals(List.of(large), applier.applied());
  }

  @Test
  void stoppingWhileALargeDeltasRecordsAreWritten_appliesNothing_andLeavesNoCommitConfirmRecord() throws Exception {
    String large = BundleVerifierTest.addresses(70_000);
    FakeApplier applier = new FakeApplier("nftables");
    HighWaterMark highWater = new HighWaterMark(dir.resolve("highwater"), 0);
    current = new BundleProcessor(applier, store(), highWater, new BundleVerifier("web-01", controller.publicKey(), CLOCK),
        new CommitConfirm(dir, Duration.ofSeconds(5)),
        new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK), CLOCK, Runnable::run,
        state -> { });
    applyFull(current, 1, large);
    String next = large.replace("  10.0.0.7,\n", "");
    long started = BeforeApply.WRITTEN_MEANWHILE.get();
    Thread applying = new Thread(() -> current.submit(
        BundleVerifierTest.deltaBundle(controller, 2, 1, large, next, LineBlocks.digestHex(next)), reports::add, confirmer));

    synchronized (highWater) { // holds the writes up in HighWaterMark.raise
      applying.start();
      for (int i = 0; i < 500 && BeforeApply.WRITTEN_MEANWHILE.get() == started; i++) {
        Thread.sleep(10);
      }
      Thread.sleep(100);
      applying.interrupt();
      Thread.sleep(100);
    }
    applying.join(10_000);
    Thread.sleep(300); // a write that outlived the apply thread would land meanwhile

    assertEquals(started + 1, BeforeApply.WRITTEN_MEANWHILE.get());
    ApplyReport last = reports.get(reports.size() - 1);
    assertEquals(ApplyReport.Phase.FAILED, last.phase());
    assertTrue(last.error().contains("stopping"), last.error());
    assertEquals(List.of(large), applier.applied());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty(), "no record left to roll back");
  }

}
