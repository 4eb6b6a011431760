package io.bulwark.controller.api;

import io.bulwark.chunk.RuleChunks;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the bytes of rule sets that agent streams send at once. gRPC serializes a message into
 * the transport's direct buffers when it is sent and holds it there until the agent's connection
 * takes it, so a rule set of 200 KB approved for 10,000 agents would otherwise take 2 GB of the
 * controller's memory at once (beyond the JVM's direct memory limit with a 1 GB heap). A stream
 * takes a {@link Slot} of the bytes its largest message holds (the whole rule set, or one chunk of
 * at most 1 MiB) before its first message and gives it back once its last one has left (the stream
 * is ready again: gRPC calls a stream ready while less than 32 KiB of it waits, so a message that
 * small holds its bytes only while it is sent). A stream whose bytes do not fit waits its turn;
 * bytes given back go to the longest waiting streams first, which are then told to go on. One
 * stream may always send alone, whatever its size. A stream that holds a slot and reads nothing
 * for {@link #STALL_LIMIT} is told to close ({@link #closeStalled}), so that agents that stop
 * reading cannot keep the budget from the others. Thread-safe; every slot's state is guarded by
 * its budget's lock.
 */
public final class TransferBudget {
  /** The most bytes a budget has, whatever the heap. */
  public static final long MAX_BYTES = 1L << 30;
  /** The fewest bytes a budget made for the heap has. */
  static final long MIN_BYTES = 16L << 20;
  /** How long a stream may hold a slot without its agent reading a message. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(180);

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TransferBudget.class);
  private final long bytes;
  private final Executor wake;
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();
  private final Set<Slot> holding = new HashSet<>();
  private long used;

  /**
   * @param bytes how many bytes streams may hold in flight at once
   * @param wake runs a waiting stream's retry once it got its bytes; never the caller's thread, as
   *     bytes are given back by another stream holding its own lock
   */
  TransferBudget(long bytes, Executor wake) {
    if (bytes < 1) {
      throw new IllegalArgumentException("need a transfer budget of at least one byte, not " + bytes);
    }
    this.bytes = bytes;
    this.wake = wake;
  }

  /**
   * An eighth of the heap's ceiling or of the direct memory limit, whichever is lower (the limit
   * is the heap's unless set), from {@link #MIN_BYTES} (or a quarter of that ceiling, if less) to
   * {@link #MAX_BYTES}, woken on a thread of its own: 128 MiB for a 1 GB heap, room for about 790
   * rule sets of 170 KB on their way at once.
   */
  static TransferBudget forThisHeap() {
    long ceiling = Math.min(Runtime.getRuntime().maxMemory(),
        io.netty.util.internal.PlatformDependent.maxDirectMemory());
    long eighth = ceiling / 8;
    ScheduledExecutorService wake = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bulwark-transfer-slots");
      t.setDaemon(true);
      return t;
    });
    // Never more than a quarter of a small direct memory limit.
    long floor = Math.min(MIN_BYTES, ceiling / 4);
    TransferBudget budget = new TransferBudget(Math.max(floor, Math.min(MAX_BYTES, eighth)), wake);
    long every = STALL_LIMIT.toSeconds() / 4;
    wake.scheduleWithFixedDelay(() -> {
      try {
        budget.closeStalled(System.nanoTime());
      } catch (RuntimeException e) {
        log.error("the check for stalled transfers broke: {}", e.toString()); // and runs again
      }
    }, every, every, TimeUnit.SECONDS);
    return budget;
  }

  /** The bytes a transfer holds in the transport's buffers at most: its largest message. */
  static long heldBy(int messageBytes) {
    return Math.max(1, Math.min(messageBytes, RuleChunks.DEFAULT_CHUNK_BYTES + 4096));
  }

  long bytes() {
    return bytes;
  }

  /** Bytes taken now. */
  synchronized long used() {
    return used;
  }

  /**
   * A stream's place in the budget; {@code retry} makes the stream send again, {@code stalled}
   * closes it (its agent read nothing for {@link #STALL_LIMIT} while it held its slot).
   */
  Slot slot(Runnable retry, Runnable stalled) {
    return new Slot(retry, stalled);
  }

  /**
   * Closes the streams that hold a slot and whose agents read nothing for {@link #STALL_LIMIT} up
   * to {@code nowNanos} ({@link System#nanoTime}); returns how many. Run every quarter of the
   * limit by the budget's thread.
   */
  int closeStalled(long nowNanos) {
    List<Slot> stalled;
    synchronized (this) {
      stalled = holding.stream().filter(s -> nowNanos - s.progressNanos > STALL_LIMIT.toNanos()).toList();
    }
    for (Slot slot : stalled) {
      log.warn("closing an agent stream that read nothing for {} s while it held a transfer slot",
          STALL_LIMIT.toSeconds());
      try {
        slot.stalled.run();
      } catch (RuntimeException e) {
        log.error("a stalled stream could not be closed: {}", e.toString());
      }
      slot.close();
    }
    return stalled.size();
  }

  private boolean fits(long wanted) {
    return used == 0 || used + wanted <= bytes;
  }

  private void grant(Slot slot, long amount) {
    slot.held = amount;
    used += amount;
    holding.add(slot);
    slot.progressNanos = System.nanoTime();
  }

  /** Gives the longest waiting streams what is free, in turn, and tells them. Under the lock. */
  private void passOn() {
    Iterator<Slot> first = waiting.iterator();
    while (first.hasNext()) {
      Slot next = first.next();
      if (!fits(next.wanted)) {
        return;
      }
      first.remove();
      grant(next, next.wanted);
      next.wanted = 0;
      wake.execute(next::granted);
    }
  }

  /** One stream's slot: bytes held, or none. */
  final class Slot {
    private final Runnable retry;
    private final Runnable stalled;
    /** Bytes held, 0 when none. */
    private long held;
    /** Bytes waited for, 0 when not waiting. */
    private long wanted;
    private boolean closed;
    /** When its agent last read a message, or it got its bytes: {@link System#nanoTime}. */
    private volatile long progressNanos = System.nanoTime();

    private Slot(Runnable retry, Runnable stalled) {
      this.retry = retry;
      this.stalled = stalled;
    }

    /** Its agent read what was sent (the stream was ready to send again). */
    void progress() {
      progressNanos = System.nanoTime();
    }

    /**
     * Whether the stream may send a transfer whose largest message is {@code messageBytes} now;
     * when not, it waits and is told later through its retry. A stream that holds bytes keeps
     * them for a newer transfer that supersedes its own between messages, taking more if the newer
     * one needs more, or giving all back and waiting when more is not free (what it sent before is
     * on its way then: the stream is ready). A waiting stream waits for what its newest transfer
     * needs.
     */
    boolean take(int messageBytes) {
      synchronized (TransferBudget.this) {
        long amount = heldBy(messageBytes);
        if (held >= amount) {
          return true;
        }
        if (closed) {
          return false;
        }
        if (held > 0) {
          if (waiting.isEmpty() && (used == held || used - held + amount <= bytes)) {
            used += amount - held;
            held = amount;
            return true;
          }
          giveBack();
        }
        if (wanted == 0 && waiting.isEmpty() && fits(amount)) {
          grant(this, amount);
          return true;
        }
        if (wanted == 0) {
          waiting.add(this);
          wanted = amount;
        } else if (amount != wanted) {
          wanted = amount;
          passOn(); // less may fit now; more is asked for when its turn comes
        }
        return held > 0;
      }
    }

    /** Gives its bytes back, if held: the stream's transfer is over and left its buffers. */
    void giveBack() {
      synchronized (TransferBudget.this) {
        if (held > 0) {
          used -= held;
          held = 0;
          holding.remove(this);
          passOn();
        }
      }
    }

    /** The stream ended: its bytes go back, and it stops waiting for any. */
    void close() {
      synchronized (TransferBudget.this) {
        closed = true;
        if (waiting.remove(this)) {
          wanted = 0;
          passOn(); // the head may have been what held the others back
        }
        giveBack();
      }
    }

    private void granted() {
      synchronized (TransferBudget.this) {
        if (closed || held == 0) {
          return; // ended meanwhile, its bytes given back by its close
        }
      }
      try {
        retry.run();
      } catch (RuntimeException e) {
        log.error("a stream given a transfer slot could not go on: {}", e.toString());
      }
    }
  }
}
