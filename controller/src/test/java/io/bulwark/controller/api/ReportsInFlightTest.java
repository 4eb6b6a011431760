package io.bulwark.controller.api;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.api.ReportsInFlight.Seen;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class ReportsInFlightTest {
  private final ReportsInFlight reports = new ReportsInFlight();
  private final LongConsumer nobody = sequence -> {};

  @Test
  void eachReportIsQueuedOnce_andAcknowledgedAgainOnceStored_whicheverStreamSendsIt() {
    reports.hello("a", 5);
    assertEquals(Seen.STORED, reports.claim("a", 5, nobody), "stored before the hello");
    assertEquals(Seen.NEW, reports.claim("a", 6, nobody));
    assertEquals(Seen.NEW, reports.claim("a", 7, nobody));
    assertEquals(Seen.QUEUED, reports.claim("a", 6, nobody), "on its way to the store");
    reports.hello("a", 5); // a new stream, whose hello read the store before 6 and 7 were stored
    assertEquals(Seen.QUEUED, reports.claim("a", 7, nobody));
    assertEquals(Seen.NEW, reports.claim("b", 6, nobody), "devices apart");

    reports.stored("a", 7);
    assertEquals(Seen.STORED, reports.claim("a", 6, nobody));
    assertEquals(Seen.NEW, reports.claim("a", 8, nobody));

    reports.forget("a");
    assertEquals(Seen.NEW, reports.claim("a", 1, nobody), "enrolled again: its new agent numbers afresh");
  }

  @Test
  void aStreamThatGotAResentCopyStillQueued_isToldOnceItIsStored_withTheHighestItWaitsFor() {
    List<Long> first = new ArrayList<>();
    List<Long> second = new ArrayList<>();
    reports.hello("a", 5);
    assertEquals(Seen.NEW, reports.claim("a", 6, nobody));
    assertEquals(Seen.NEW, reports.claim("a", 7, nobody));
    assertEquals(Seen.QUEUED, reports.claim("a", 6, first::add));
    assertEquals(Seen.QUEUED, reports.claim("a", 7, second::add), "a newer stream takes over the wait");
    assertEquals(Seen.QUEUED, reports.claim("a", 6, second::add));

    reports.stored("a", 6);
    assertTrue(second.isEmpty(), "7 is not stored yet: " + second);
    reports.stored("a", 7);
    reports.stored("a", 7);
    assertEquals(List.of(7L), second, "told once, with the highest it waits for");
    assertTrue(first.isEmpty(), "the stream it replaced is not told: " + first);

    assertEquals(Seen.NEW, reports.claim("a", 8, nobody));
    assertEquals(Seen.QUEUED, reports.claim("a", 8, first::add));
    reports.forget("a");
    reports.hello("a", 8);
    assertTrue(first.isEmpty(), "enrolled again: nobody waits for the old agent's reports");
  }

  @Test
  void aStreamNoLongerTheDevices_neitherTakesTheWaitOver_norKeepsItOnceEnded() {
    List<Long> live = new ArrayList<>();
    LongConsumer current = live::add;
    reports.hello("a", 5);
    assertEquals(Seen.NEW, reports.claim("a", 6, nobody));
    assertEquals(Seen.QUEUED, reports.claim("a", 6, current));
    assertEquals(Seen.QUEUED, reports.claim("a", 6, null), "a replaced stream's copy");
    reports.stored("a", 6);
    assertEquals(List.of(6L), live, "the current stream still gets it");

    assertEquals(Seen.NEW, reports.claim("a", 7, nobody));
    assertEquals(Seen.QUEUED, reports.claim("a", 7, current));
    reports.left("a", current);
    reports.stored("a", 7);
    assertEquals(List.of(6L), live, "a stream that ended is not told, nor held");
  }

  @Test
  void aReportWaitingToBeQueued_isQueuedBeforeTheNextOne_thatTheAgentSendsOnANewStream() throws Exception {
    List<Long> queued = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch queueing = new CountDownLatch(1);
    CountDownLatch queueHasRoom = new CountDownLatch(1);
    reports.hello("a", 5);
    // The old stream's report 6 waits for room in the store's queue.
    CompletableFuture<Seen> oldStream = CompletableFuture.supplyAsync(() -> reports.claimAndQueue("a", 6, () -> nobody, () -> {
      queueing.countDown();
      try {
        queueHasRoom.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      queued.add(6L);
    }));
    assertTrue(queueing.await(10, SECONDS));
    // The agent reconnected: its new stream resends 6, then sends 7.
    CompletableFuture<List<Seen>> newStream = CompletableFuture.supplyAsync(() -> List.of(
        reports.claimAndQueue("a", 6, () -> nobody, () -> queued.add(-6L)),
        reports.claimAndQueue("a", 7, () -> nobody, () -> queued.add(7L))));
    assertThrows(TimeoutException.class, () -> newStream.get(300, MILLISECONDS),
        "the new stream went on while 6 was not queued yet: " + queued);

    queueHasRoom.countDown();
    assertEquals(Seen.NEW, oldStream.get(10, SECONDS));
    assertEquals(List.of(Seen.QUEUED, Seen.NEW), newStream.get(10, SECONDS));
    assertEquals(List.of(6L, 7L), queued, "6 queued once, before 7, so that the acknowledgement of 7 covers it");
  }

  @Test
  void aReportThatCouldNotBeQueued_isQueuedWhenResent() {
    reports.hello("a", 5);
    assertThrows(IllegalStateException.class, () -> reports.claimAndQueue("a", 6, () -> nobody, () -> {
      throw new IllegalStateException("the status writer is stopped");
    }));
    List<Long> queued = new ArrayList<>();
    assertEquals(Seen.NEW, reports.claimAndQueue("a", 6, () -> nobody, () -> queued.add(6L)));
    assertEquals(List.of(6L), queued);
  }
}
