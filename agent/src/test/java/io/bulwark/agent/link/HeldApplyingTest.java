package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.bundle.ApplyReport;
import io.bulwark.agent.bundle.ApplyReport.Phase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeldApplyingTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<ApplyReport> sent = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private static ApplyReport report(long generation, Phase phase) {
    return new ApplyReport(generation, phase, "d" + generation, "", 1000);
  }

  private List<String> sent() {
    return sent.stream().map(r -> r.generation() + " " + r.phase()).toList();
  }

  @Test
  void outcomeWithinTheHold_replacesTheApplyingReport() {
    var sink = new HeldApplying(sent::add, scheduler, Duration.ofSeconds(30));
    sink.report(report(3, Phase.APPLYING));
    assertEquals(List.of(), sent(), "held");
    sink.report(report(3, Phase.APPLIED));
    sink.report(report(4, Phase.APPLYING));
    sink.report(report(4, Phase.ROLLED_BACK));
    assertEquals(List.of("3 APPLIED", "4 ROLLED_BACK"), sent());
  }

  @Test
  void applyLongerThanTheHold_isReportedUnderWay_thenItsOutcome() throws Exception {
    var sink = new HeldApplying(sent::add, scheduler, Duration.ofMillis(50));
    sink.report(report(5, Phase.APPLYING));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    sink.report(report(5, Phase.FAILED));
    assertEquals(List.of("5 APPLYING", "5 FAILED"), sent());
  }

  @Test
  void reportOfAnotherGeneration_letsTheHeldOneGoFirst() {
    var sink = new HeldApplying(sent::add, scheduler, Duration.ofSeconds(30));
    sink.report(report(6, Phase.APPLYING));
    sink.report(report(7, Phase.REJECTED));
    sink.report(report(8, Phase.APPLYING));
    sink.report(report(9, Phase.APPLYING));
    assertEquals(List.of("6 APPLYING", "7 REJECTED", "8 APPLYING"), sent());
  }

  @Test
  void noHold_orATimerThatStopped_passesEveryReportAtOnce() {
    new HeldApplying(sent::add, scheduler, Duration.ZERO).report(report(1, Phase.APPLYING));
    scheduler.shutdown();
    new HeldApplying(sent::add, scheduler, Duration.ofSeconds(30)).report(report(2, Phase.APPLYING));
    assertEquals(List.of("1 APPLYING", "2 APPLYING"), sent());
    assertTrue(scheduler.isShutdown());
  }
}
