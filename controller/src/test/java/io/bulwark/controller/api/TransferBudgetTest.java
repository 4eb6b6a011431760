package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private final TransferBudget budget = new TransferBudget(2, later);
  private final TransferBudget.Slot a = slot("a");
  private final TransferBudget.Slot b = slot("b");
  private final TransferBudget.Slot c = slot("c");
  private final TransferBudget.Slot d = slot("d");

  private TransferBudget.Slot slot(String name) {
    return budget.slot(() -> retried.add(name), () -> stalled.add(name));
  }

  /** Streams a and b hold both slots; c, then d, wait. */
  private void twoHoldingTwoWaiting() {
    assertTrue(a.take());
    assertTrue(b.take());
    assertFalse(c.take());
    assertFalse(d.take());
  }

  private void wake() {
    List<Runnable> now = new ArrayList<>(woken);
    woken.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void slotsUpToTheLimit_thenWaitersInTurn() {
    assertTrue(a.take());
    assertTrue(a.take(), "held already");
    assertTrue(b.take());
    assertFalse(c.take());
    assertFalse(d.take());
    assertFalse(c.take(), "waiting once, not twice");
    assertEquals(2, budget.used());

    a.giveBack();
    wake();
    assertEquals(List.of("c"), retried, "the longest waiting is told first");
    assertTrue(c.take(), "the slot was passed to it");
    assertEquals(2, budget.used());

    b.giveBack();
    c.giveBack();
    wake();
    assertEquals(List.of("c", "d"), retried);
    assertTrue(d.take());
    assertEquals(1, budget.used());
  }

  @Test
  void aStreamThatEnds_givesItsSlotBack_andStopsWaiting() {
    twoHoldingTwoWaiting();

    c.close();
    a.close();
    wake();

    assertEquals(List.of("d"), retried, "the ended stream is not told");
    assertTrue(d.take());
    assertFalse(a.take(), "an ended stream takes no slot");
    assertEquals(2, budget.used());
  }

  @Test
  void aSlotGrantedToAStreamThatEndedMeanwhile_passesOn() {
    twoHoldingTwoWaiting();

    a.giveBack();
    c.close();
    wake();
    wake();

    assertEquals(List.of("d"), retried);
    assertTrue(d.take());
    assertEquals(2, budget.used());
    b.giveBack();
    d.giveBack();
    assertEquals(0, budget.used());
  }

  @Test
  void aPickedStreamThatTookAFreeSlotBeforeItsGrantRan_passesTheGrantOn_countingEachSlotOnce() {
    twoHoldingTwoWaiting();

    a.giveBack(); // picks c; its grant has not run yet
    b.giveBack(); // picks d
    d.giveBack(); // not held yet: nothing to give
    assertEquals(2, budget.used(), "both slots are on their way to c and d");
    wake();
    assertTrue(c.take());
    assertTrue(d.take());
    c.giveBack();
    d.giveBack();
    assertEquals(0, budget.used());

    // c picked, then takes the slot freed meanwhile on its own before its grant runs.
    TransferBudget.Slot e = slot("e");
    assertTrue(a.take());
    assertTrue(b.take());
    assertFalse(e.take());
    a.giveBack(); // picks e
    b.giveBack(); // frees one
    assertTrue(e.take(), "a free slot, taken on its own");
    wake(); // e's grant finds it holding one already and passes it on
    assertEquals(1, budget.used(), "each slot counted once");
    e.giveBack();
    assertEquals(0, budget.used());
  }

  @Test
  void noSlots_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TransferBudget(0, later));
    assertTrue(TransferBudget.forThisHeap().slots() >= 16);
  }

  @Test
  void streamsHoldingASlotWhoseAgentsReadNothingForTheLimit_areClosed_andTheirSlotsPassOn() throws Exception {
    twoHoldingTwoWaiting();
    Thread.sleep(2);
    long between = System.nanoTime();
    Thread.sleep(2);
    b.progress();
    assertEquals(0, budget.closeStalled(between + TransferBudget.STALL_LIMIT.toNanos() / 2), "none stalled yet");

    assertEquals(1, budget.closeStalled(between + TransferBudget.STALL_LIMIT.toNanos()),
        "a, which read nothing since it took its slot; not b, nor c and d, which wait for one");
    assertEquals(List.of("a"), stalled);
    wake();
    assertEquals(List.of("c"), retried, "its slot went to the longest waiting");
    assertTrue(c.take());
    assertEquals(2, budget.used());
    assertFalse(a.take(), "a closed stream takes no slot");
  }
}
