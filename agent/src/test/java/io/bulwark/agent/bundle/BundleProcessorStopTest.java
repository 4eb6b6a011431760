package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.testing.FakeApplier;
import io.bulwark.agent.testing.TestSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link BundleProcessor} when the agent stops and starts again. */
class BundleProcessorStopTest extends BundleProcessorFixture {

  @Test
  void applyLeftUnconfirmedByAStop_isRolledBackAtTheNextStart() throws Exception {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = processor(applier, store(), new ArrayList<>());
    processor.submit(bundle(1), reports::add, confirmer);
    CountDownLatch asked = new CountDownLatch(1);
    CommitConfirm.Requests unanswered = new CommitConfirm.Requests() {
      @Override
      public void request(long generation, byte[] nonce) {
        asked.countDown();
      }

      @Override
      public void cancel() {}
    };
    String next = RULES + "# generation 2\n";
    RuleBundle two = controller.bundle(TestSigner.header("web-01", 2, next, CLOCK.instant()).build(), next);
    Thread applying = new Thread(() -> processor.submit(two, reports::add, unanswered));
    applying.start();
    assertTrue(asked.await(5, TimeUnit.SECONDS), "generation 2 applied, its confirmation asked for");
    applying.interrupt(); // the agent stops while it waits
    applying.join();
    reports.clear();

    FakeApplier restarted = new FakeApplier("nftables");
    List<String> keptAtTheReport = new ArrayList<>();
    processor(restarted, store(), new ArrayList<>()).recover(report -> {
      reports.add(report);
      CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));
      keptAtTheReport.add(confirm.leftover().isPresent() + " " + confirm.rolledBackReason(2).isPresent());
    });

    assertEquals(List.of("true true"), keptAtTheReport,
        "the record goes once the rollback is remembered and reported, so a stop between repeats it");
    assertEquals(List.of(RULES), restarted.restored());
    assertEquals(1, reports.size());
    assertEquals(ApplyReport.Phase.ROLLED_BACK, reports.get(0).phase());
    assertEquals(2, reports.get(0).generation());
    assertTrue(reports.get(0).error().contains("stopped before generation 2 was confirmed"));
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
  }

  @Test
  void stopWhileABundleWasChecked_putsTheRulesBack_withoutReportingOrRefusingItsGeneration() throws Exception {
    // What the writes before an apply leave when the agent stops while a large delta is checked.
    new HighWaterMark(dir.resolve("highwater"), 0).raise(9);
    new CommitConfirm(dir, Duration.ofSeconds(5)).prepare(9, "ab".repeat(32), "old rules\n");
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor restarted = processor(applier, store(), new ArrayList<>());

    restarted.recover(reports::add);

    assertEquals(List.of("old rules\n"), applier.restored());
    assertEquals(List.of(), reports);
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
    restarted.submit(bundle(9), reports::add, confirmer);
    assertEquals(List.of(ApplyReport.Phase.APPLYING, ApplyReport.Phase.APPLIED),
        reports.stream().map(ApplyReport::phase).toList());
  }

  @Test
  void start_withNothingLeftUnconfirmed_tellsTheApplierWhatIsApplied() {
    processor(new FakeApplier("nftables"), store(), new ArrayList<>())
        .submit(bundle(9), reports::add, confirmer);
    FakeApplier applier = new FakeApplier("nftables");

    processor(applier, store(), new ArrayList<>()).recover(reports::add);

    assertEquals(List.of(RULES), applier.known());
    assertTrue(applier.restored().isEmpty());
  }

  @Test
  void start_withNothingApplied_tellsTheApplierNothing() {
    FakeApplier applier = new FakeApplier("nftables");

    processor(applier, store(), new ArrayList<>()).recover(reports::add);

    assertTrue(applier.known().isEmpty());
  }

  @Test
  void stoppedProcessor_refusesTheBundleBeingChecked_beforeItChangesAnything() {
    FakeApplier applier = new FakeApplier("nftables");
    BundleProcessor processor = processor(applier, store(), new ArrayList<>());

    processor.stop();
    processor.submit(bundle(9), reports::add, confirmer);

    assertTrue(applier.applied().isEmpty());
    assertEquals(List.of(ApplyReport.Phase.FAILED), reports.stream().map(ApplyReport::phase).toList());
    assertTrue(reports.get(0).error().contains("the agent is stopping"), reports.get(0).error());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
  }

  @Test
  void stopInTheMiddleOfAnApply_keepsTheRecord_forTheNextStartToRollBack() {
    FakeApplier applier = new FakeApplier("nftables")
        .during(() -> Thread.currentThread().interrupt())
        .then(new ApplyOutcome.Failed("cannot run nft: interrupted while reading the table back"));

    processor(applier, store(), new ArrayList<>()).submit(bundle(9), reports::add, confirmer);

    assertTrue(Thread.interrupted(), "the apply thread was interrupted");
    assertEquals(List.of(ApplyReport.Phase.APPLYING), reports.stream().map(ApplyReport::phase).toList());
    CommitConfirm.Pending left = new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().orElseThrow();
    assertEquals(9, left.generation());
    assertTrue(left.applyStarted());
  }

  @Test
  void recordOfTheGenerationRecordedAsApplied_isTakenForConfirmed() throws Exception {
    processor(new FakeApplier("nftables"), store(), new ArrayList<>()).submit(bundle(9), reports::add, confirmer);
    // As if the agent stopped after recording generation 9 and before clearing its record.
    CommitConfirm confirm = new CommitConfirm(dir, Duration.ofSeconds(5));
    confirm.prepare(9, BundleCheck.sha256Hex(RULES), "generation 8 rules\n");
    confirm.applying();
    reports.clear();
    FakeApplier restarted = new FakeApplier("nftables");

    processor(restarted, store(), new ArrayList<>()).recover(reports::add);

    assertTrue(restarted.restored().isEmpty());
    assertEquals(List.of(), reports);
    assertEquals(List.of(RULES), restarted.known());
    assertTrue(new CommitConfirm(dir, Duration.ofSeconds(5)).leftover().isEmpty());
  }
}
