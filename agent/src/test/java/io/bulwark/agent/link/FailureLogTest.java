package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.agent.link.FailureLog.Say;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureLogTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void anHourOfFailuresEveryFiveSeconds_warnsOnceAMinute_andCountsThemAll() {
    var failures = new FailureLog(Duration.ofMinutes(1));
    List<Say> said = new ArrayList<>();
    long start = 123_456_789L;
    for (int i = 0; i < 720; i++) {
      said.add(failures.failed(start + i * 5 * SECOND));
    }
    assertEquals(Say.FIRST, said.get(0));
    assertEquals(List.of(Say.QUIET), said.subList(1, 12).stream().distinct().toList(), "within the first minute");
    assertEquals(Say.STILL, said.get(12), "a minute after the first");
    assertEquals(60, said.stream().filter(s -> s != Say.QUIET).count(), "one warning a minute for an hour");
    assertEquals(720, failures.count());
  }

  @Test
  void afterAnAttemptThatWorked_theNextFailureIsAFirstOneAgain() {
    var failures = new FailureLog(Duration.ofMinutes(1));
    assertEquals(Say.FIRST, failures.failed(0));
    assertEquals(Say.QUIET, failures.failed(SECOND));
    failures.reset();
    assertEquals(Say.FIRST, failures.failed(2 * SECOND));
    assertEquals(1, failures.count());
  }
}
