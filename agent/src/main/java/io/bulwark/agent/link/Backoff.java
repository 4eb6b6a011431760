package io.bulwark.agent.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry waits a random time between 0 and {@code
 * min(cap, base * 2^n)}, so agents that lost the same controller do not come back in step. {@link
 * #reset()} starts over after a connection that worked. Thread-safe.
 */
public final class Backoff {

  private final long baseMillis;
  private final long capMillis;
  private final DoubleSupplier random;
  private int attempt;

  /**
   * @param random values in [0, 1); tests pass a fixed sequence
   */
  public Backoff(Duration base, Duration cap, DoubleSupplier random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap, got " + base + " and " + cap);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** 500 ms base, 30 s cap, random jitter. */
  public static Backoff standard() {
    return new Backoff(
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The wait before the next attempt; each call counts one attempt. */
  public synchronized Duration next() {
    long ceiling = ceilingMillis(attempt, baseMillis, capMillis);
    if (attempt < Integer.MAX_VALUE) {
      attempt++;
    }
    double u = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
    return Duration.ofMillis(Math.min(ceiling, (long) Math.floor(u * ceiling)));
  }

  /** Starts over from {@code base}. */
  public synchronized void reset() {
    attempt = 0;
  }

  /** {@code min(cap, base * 2^attempt)} without overflow. */
  static long ceilingMillis(int attempt, long baseMillis, long capMillis) {
    if (attempt >= 62 || baseMillis > (capMillis >> Math.min(attempt, 62))) {
      return capMillis;
    }
    return Math.min(capMillis, baseMillis << attempt);
  }
}
