package io.bulwark.agent.link;

import java.time.Duration;

/**
 * Decides how loudly to log attempts that fail in a row: the first one as a warning, then one
 * warning per interval that says how many failed, and the rest quietly. Not thread-safe.
 */
final class FailureLog {

  /** How to log one failure. */
  enum Say {
    /** The first failure in a row. */
    FIRST,
    /** Another one, an interval after the last warning. */
    STILL,
    /** Another one, within the interval. */
    QUIET
  }

  private final long intervalNanos;
  private int count;
  private long warnedAtNanos;

  FailureLog(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Counts one failure at {@code nowNanos} (System.nanoTime) and says how to log it. */
  Say failed(long nowNanos) {
    if (count < Integer.MAX_VALUE) {
      count++;
    }
    if (count == 1) {
      warnedAtNanos = nowNanos;
      return Say.FIRST;
    }
    if (nowNanos - warnedAtNanos >= intervalNanos) {
      warnedAtNanos = nowNanos;
      return Say.STILL;
    }
    return Say.QUIET;
  }

  /** Failures in a row so far. */
  int count() {
    return count;
  }

  /** An attempt worked: the next failure is a first one again. */
  void reset() {
    count = 0;
  }
}
