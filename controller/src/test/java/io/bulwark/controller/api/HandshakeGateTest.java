package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakeGateTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void aQuietGate_letsABurstOfItsRateThrough_thenRefusesAndCounts() {
    HandshakeGate gate = new HandshakeGate(5, now::get);

    for (int i = 0; i < 5; i++) {
      assertTrue(gate.tryAcquire(), "connection " + i);
    }
    assertFalse(gate.tryAcquire());
    assertFalse(gate.tryAcquire());
    assertEquals(2, gate.refused());
  }

  @Test
  void tokensComeBackAtTheRate_upToOneSecondsWorth() {
    HandshakeGate gate = new HandshakeGate(10, now::get);
    for (int i = 0; i < 10; i++) {
      gate.tryAcquire();
    }

    now.addAndGet(250_000_000L);
    int let = 0;
    while (gate.tryAcquire()) {
      let++;
    }
    assertEquals(2, let, "a quarter second at 10/s refills 2.5 connections");

    now.addAndGet(60_000_000_000L);
    let = 0;
    while (gate.tryAcquire()) {
      let++;
    }
    assertEquals(10, let, "never more than one second's worth at once");
  }

  @Test
  void ratesOutOfRange_areRefusedWithTheOptionNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HandshakeGate(0));
    assertTrue(e.getMessage().contains("--handshake-rate 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new HandshakeGate(HandshakeGate.MAX_PER_SECOND + 1));
  }
}
