package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration BASE = Duration.ofMillis(500);
  private static final Duration CAP = Duration.ofSeconds(30);

  @Test
  void ceilings_doubleFromBase_upToTheCap() {
    List<Long> ceilings = new ArrayList<>();
    for (int attempt = 0; attempt < 9; attempt++) {
      ceilings.add(Backoff.ceilingMillis(attempt, 500, 30_000));
    }

    assertEquals(
        List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L), ceilings);
    assertEquals(30_000, Backoff.ceilingMillis(Integer.MAX_VALUE, 500, 30_000));
  }

  @Test
  void next_atTheTopOfTheJitter_followsTheCeilings() {
    Backoff backoff = new Backoff(BASE, CAP, () -> 0.999_999);

    assertEquals(499, backoff.next().toMillis());
    assertEquals(999, backoff.next().toMillis());
    assertEquals(1999, backoff.next().toMillis());
  }

  @Test
  void next_isFullyJittered_betweenZeroAndTheCeiling() {
    assertEquals(0, new Backoff(BASE, CAP, () -> 0.0).next().toMillis());
    assertEquals(250, new Backoff(BASE, CAP, () -> 0.5).next().toMillis());

    Random random = new Random(7);
    Backoff backoff = new Backoff(BASE, CAP, random::nextDouble);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long delay = backoff.next().toMillis();
      assertTrue(delay >= 0 && delay < CAP.toMillis(), "delay " + delay);
      delays.add(delay);
    }
    assertNotEquals(delays.get(150), delays.get(151), "capped delays still vary");
  }

  @Test
  void reset_startsOverFromTheBase() {
    Backoff backoff = new Backoff(BASE, CAP, () -> 0.999_999);
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    assertEquals(29_999, backoff.next().toMillis());

    backoff.reset();

    assertEquals(499, backoff.next().toMillis());
  }
}
