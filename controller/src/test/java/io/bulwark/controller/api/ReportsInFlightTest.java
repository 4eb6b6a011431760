package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportsInFlightTest {
  private final ReportsInFlight inFlight = new ReportsInFlight();

  @Test
  void aReportQueuedAlready_isNotQueuedAgain_untilItAndTheNewerOnesAreStored() {
    assertTrue(inFlight.claim("a", 6));
    assertTrue(inFlight.claim("a", 7));
    assertFalse(inFlight.claim("a", 6), "6 is on its way");
    assertFalse(inFlight.claim("a", 7), "and 7");
    assertTrue(inFlight.claim("b", 6), "devices apart");

    inFlight.stored("a", 6);
    assertFalse(inFlight.claim("a", 7), "7 still waits for the store");
    inFlight.stored("a", 7);
    inFlight.stored("b", 6);
    assertEquals(0, inFlight.devices(), "nothing kept once stored");
    // Stored: the stream's own sequence from the store tells resent reports apart from here on.
    assertTrue(inFlight.claim("a", 1), "an agent enrolled again may number from 1");
  }
}
