package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.api.ReportsInFlight.Seen;
import org.junit.jupiter.api.Test;

class ReportsInFlightTest {
  private final ReportsInFlight reports = new ReportsInFlight();

  @Test
  void eachReportIsQueuedOnce_andAcknowledgedAgainOnceStored_whicheverStreamSendsIt() {
    reports.hello("a", 5);
    assertEquals(Seen.STORED, reports.claim("a", 5), "stored before the hello");
    assertEquals(Seen.NEW, reports.claim("a", 6));
    assertEquals(Seen.NEW, reports.claim("a", 7));
    assertEquals(Seen.QUEUED, reports.claim("a", 6), "on its way to the store");
    reports.hello("a", 5); // a new stream, whose hello read the store before 6 and 7 were stored
    assertEquals(Seen.QUEUED, reports.claim("a", 7));
    assertEquals(Seen.NEW, reports.claim("b", 6), "devices apart");

    reports.stored("a", 7);
    assertEquals(Seen.STORED, reports.claim("a", 6));
    assertEquals(Seen.NEW, reports.claim("a", 8));

    reports.forget("a");
    assertEquals(Seen.NEW, reports.claim("a", 1), "enrolled again: its new agent numbers afresh");
  }
}
