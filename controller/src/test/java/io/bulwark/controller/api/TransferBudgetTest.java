package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.chunk.RuleChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class TransferBudgetTest {
  /** Wake-ups run when the test says, as the budget's own thread would run them later. */
  private final List<Runnable> woken = new ArrayList<>();
  private final Executor later = woken::add;
  private final List<String> retried = new ArrayList<>();
  private final List<String> stalled = new ArrayList<>();
  private final TransferBudget budget = new TransferBudget(100, later);
  private final TransferBudget.Slot a = slot("a");
  private final TransferBudget.Slot b = slot("b");
  private final TransferBudget.Slot c = slot("c");
  private final TransferBudget.Slot d = slot("d");

  private TransferBudget.Slot slot(String name) {
    return budget.slot(() -> retried.add(name), () -> stalled.add(name));
  }

  /** Streams a and b hold all 100 bytes; c, then d, wait for 50 each. */
  private void twoHoldingTwoWaiting() {
    assertTrue(a.take(60));
    assertTrue(b.take(40));
    assertFalse(c.take(50));
    assertFalse(d.take(50));
  }

  private void wake() {
    List<Runnable> now = new ArrayList<>(woken);
    woken.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void bytesUpToTheBudget_thenWaitersInTurn_asManyAsWhatIsGivenBackHolds() {
    assertTrue(a.take(60));
    assertTrue(a.take(60), "held already");
    assertTrue(b.take(40));
    assertFalse(c.take(30));
    assertFalse(d.take(30));
    assertFalse(c.take(30), "waiting once, not twice");
    assertEquals(100, budget.used());

    a.giveBack();
    assertEquals(List.of(), retried, "told on the budget's thread, not the giver's");
    wake();
    assertEquals(List.of("c", "d"), retried, "60 bytes given back: both 30 go, the longest waiting first");
    assertTrue(c.take(30), "granted already");
    assertTrue(d.take(30));
    assertEquals(100, budget.used());

    b.giveBack();
    c.giveBack();
    d.giveBack();
    assertEquals(0, budget.used());
  }

  @Test
  void aSmallTransfer_doesNotOvertakeALargerOneWaiting() {
    assertTrue(a.take(90));
    assertFalse(b.take(50));
    assertFalse(c.take(5), "5 bytes would fit, but b waits longer");

    a.giveBack();
    wake();
    assertEquals(List.of("b", "c"), retried);
    assertEquals(55, budget.used());
  }

  @Test
  void aTransferLargerThanTheBudget_goesAlone() {
    assertTrue(a.take(500), "nothing else under way");
    assertFalse(b.take(1));
    assertEquals(500, budget.used());
    a.giveBack();
    wake();
    assertEquals(List.of("b"), retried);
    assertEquals(1, budget.used());
  }

  @Test
  void aStreamHoldsWhatItsLargestMessageKeepsInTheBuffers_atMostAChunk() {
    assertEquals(1, TransferBudget.heldBy(0), "even an empty message counts");
    assertEquals(2000, TransferBudget.heldBy(2000));
    assertEquals(RuleChunks.DEFAULT_CHUNK_BYTES + 4096, TransferBudget.heldBy(50 * RuleChunks.DEFAULT_CHUNK_BYTES));
  }

  @Test
  void aNewerTransferNeedingMore_takesMoreWhenFree_elseGivesAllBackAndWaitsForAll() {
    assertTrue(a.take(30));
    assertTrue(a.take(20), "less than held: what it holds covers it");
    assertTrue(a.take(60), "alone: takes 30 more");
    assertEquals(60, budget.used());
    assertTrue(b.take(40));

    assertFalse(a.take(70), "70 do not fit beside b's 40");
    assertEquals(40, budget.used(), "a's 60 went back while it waits");
    assertFalse(c.take(10), "behind a");
    b.giveBack();
    wake();
    assertEquals(List.of("a", "c"), retried);
    assertEquals(80, budget.used(), "a holds the 70 it waited for, c its 10");
  }

  @Test
  void aWaitingStreamWaitsForWhatItsNewestTransferNeeds_moreOrLess() {
    assertTrue(a.take(95));
    assertFalse(b.take(10));
    assertFalse(b.take(50), "a newer, larger transfer while waiting");
    a.giveBack();
    wake();
    assertEquals(List.of("b"), retried);
    assertEquals(50, budget.used());
    assertTrue(b.take(50));

    assertFalse(c.take(60));
    assertTrue(c.take(40), "a newer transfer needing 40 fits beside b's 50 at once");
    assertEquals(90, budget.used());
  }

  @Test
  void aStreamThatWouldGrowWhileOthersWait_givesBackAndQueuesBehindThem() {
    assertTrue(a.take(30));
    assertFalse(b.take(80), "30 + 80 do not fit");
    assertFalse(a.take(50), "others wait: a gives its 30 back and queues");
    assertEquals(80, budget.used(), "a's 30 went to b, which now fits");
    wake();
    assertEquals(List.of("b"), retried);
    b.giveBack();
    wake();
    assertEquals(List.of("b", "a"), retried);
    assertEquals(50, budget.used());
  }

  @Test
  void aStreamThatEnds_givesItsBytesBack_andStopsWaiting() {
    twoHoldingTwoWaiting();

    c.close();
    a.close();
    wake();

    assertEquals(List.of("d"), retried, "the ended stream is not told");
    assertTrue(d.take(50));
    assertFalse(a.take(10), "an ended stream takes nothing");
    assertEquals(90, budget.used());
  }

  @Test
  void theHeadOfTheLineEnding_letsTheNextOneGo() {
    assertTrue(a.take(90));
    assertFalse(b.take(50));
    assertFalse(c.take(10));

    b.close();
    wake();

    assertEquals(List.of("c"), retried);
    assertEquals(100, budget.used());
  }

  @Test
  void bytesGrantedToAStreamThatEndedBeforeItWasTold_goBack() {
    twoHoldingTwoWaiting();

    a.giveBack(); // grants c; it has not been told yet
    c.close();
    wake();

    assertEquals(List.of("d"), retried, "c's bytes went on to d; c, ended, is not told");
    assertEquals(90, budget.used());
    b.giveBack();
    d.giveBack();
    assertEquals(0, budget.used());
  }

  @Test
  void noBytes_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TransferBudget(0, later));
    long bytes = TransferBudget.forThisHeap().bytes();
    assertTrue(bytes >= TransferBudget.MIN_BYTES && bytes <= TransferBudget.MAX_BYTES, "budget " + bytes);
  }

  @Test
  void streamsHoldingBytesWhoseAgentsReadNothingForTheLimit_areClosed_andTheirBytesPassOn() throws Exception {
    twoHoldingTwoWaiting();
    Thread.sleep(2);
    long between = System.nanoTime();
    Thread.sleep(2);
    b.progress();
    assertEquals(0, budget.closeStalled(between + TransferBudget.STALL_LIMIT.toNanos() / 2), "none stalled yet");

    assertEquals(1, budget.closeStalled(between + TransferBudget.STALL_LIMIT.toNanos()),
        "a, which read nothing since it took its bytes; not b, nor c and d, which wait for theirs");
    assertEquals(List.of("a"), stalled);
    wake();
    assertEquals(List.of("c"), retried, "its bytes went to the longest waiting");
    assertTrue(c.take(50));
    assertEquals(90, budget.used());
    assertFalse(a.take(1), "a closed stream takes nothing");
  }
}
