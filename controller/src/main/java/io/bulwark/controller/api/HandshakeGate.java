package io.bulwark.controller.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket for new agent connections: at most {@code perSecond} on average, and as many at
 * once after a quiet second. Each accepted connection costs the controller a TLS handshake with a
 * certificate check (BoringSSL manages 800 to 1,700 a second per core, the JDK about 300), so a
 * fleet coming back from a restart must not start more than the cores can finish: a connection
 * over the rate is closed at once, before any TLS, and its agent retries after its jittered
 * backoff. Thread-safe.
 */
public final class HandshakeGate {

  /** Default for {@code bulwark controller --handshake-rate}: about half of what 2 cores manage. */
  public static final int DEFAULT_PER_SECOND = 1_000;

  public static final int MIN_PER_SECOND = 1;
  public static final int MAX_PER_SECOND = 100_000;

  private final int perSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;
  private final AtomicLong refused = new AtomicLong();
  private long reported;
  private long reportedAt;

  public HandshakeGate(int perSecond) {
    this(perSecond, System::nanoTime);
  }

  HandshakeGate(int perSecond, LongSupplier nanoTime) {
    if (perSecond < MIN_PER_SECOND || perSecond > MAX_PER_SECOND) {
      throw new IllegalArgumentException(rateError(perSecond));
    }
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.tokens = perSecond;
    this.last = nanoTime.getAsLong();
  }

  /** The message for a rate out of range, naming the option and the value. */
  public static String rateError(int value) {
    return "--handshake-rate " + value + " is out of range: use " + MIN_PER_SECOND + " to " + MAX_PER_SECOND
        + " new agent connections a second";
  }

  /** True when one more connection may start its handshake now; counts the refusals. */
  public synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1e9);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    refused.incrementAndGet();
    return false;
  }

  /**
   * The refusals since the last report when a report is due (at most one every 10 s), else -1: so
   * a storm is logged as a count, not line by line.
   */
  public synchronized long refusedToReport() {
    long now = nanoTime.getAsLong();
    long total = refused.get();
    if (total == reported || (reportedAt != 0 && now - reportedAt < 10_000_000_000L)) {
      return -1;
    }
    long since = total - reported;
    reported = total;
    reportedAt = now;
    return since;
  }

  /** Connections closed for the rate since start. */
  public long refused() {
    return refused.get();
  }

  public int perSecond() {
    return perSecond;
  }
}
