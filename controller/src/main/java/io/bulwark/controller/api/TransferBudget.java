package io.bulwark.controller.api;

import io.bulwark.chunk.RuleChunks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Bounds how many agent streams send a large rule set at once, in chunks or as one message of a
 * quarter chunk or more. Each such stream holds up to a chunk (1 MiB) in the transport's buffers
 * until its agent reads it, so a large rule set approved for 10,000 agents would otherwise take
 * 10 GB of the controller's memory at once. A stream takes a {@link Slot} before its first message
 * and gives it back once its last one has left (the stream is ready again); a stream
 * that finds none waits its turn, and a slot given back goes straight to the longest waiting one,
 * whose stream is then told to go on. A stream that holds a slot for {@link #STALL} without taking
 * a message while others wait is told it stalled (its agent stopped reading), and ends. Thread-safe.
 */
final class TransferBudget {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TransferBudget.class);
  /** How long a slot may go without its stream taking a message while others wait for one. */
  static final Duration STALL = Duration.ofMinutes(5);

  private final int slots;
  private final Executor wake;
  private final long stallNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();
  private final LinkedHashSet<Slot> holding = new LinkedHashSet<>();
  private int used;

  /**
   * @param slots how many streams may send chunks at once
   * @param wake runs a waiting stream's retry once it got a slot; never the caller's thread, as the
   *     slot is given back by another stream holding its own lock
   */
  TransferBudget(int slots, Executor wake) {
    this(slots, wake, STALL, System::nanoTime);
  }

  /**
   * @param stall how long a stream may hold a slot without taking a message, while others wait,
   *     before it is told it stalled (its agent stopped reading)
   */
  TransferBudget(int slots, Executor wake, Duration stall, LongSupplier nanoTime) {
    if (slots < 1) {
      throw new IllegalArgumentException("need at least one transfer slot, not " + slots);
    }
    this.slots = slots;
    this.wake = wake;
    this.stallNanos = stall.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * As many slots as chunks fit in an eighth of the heap's ceiling (held in Netty's direct
   * buffers), from 16 to 1,024, woken on a thread of its own.
   */
  static TransferBudget forThisHeap() {
    long chunks = Runtime.getRuntime().maxMemory() / 8 / RuleChunks.DEFAULT_CHUNK_BYTES;
    ExecutorService wake = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bulwark-transfer-slots");
      t.setDaemon(true);
      return t;
    });
    return new TransferBudget((int) Math.max(16, Math.min(1024, chunks)), wake);
  }

  int slots() {
    return slots;
  }

  /** Slots taken now. */
  synchronized int used() {
    return used;
  }

  /**
   * A stream's place in the budget; {@code retry} makes the stream send again, {@code stalled}
   * ends it when it held a slot for {@link #STALL} without taking a message while others waited.
   */
  Slot slot(Runnable retry, Runnable stalled) {
    return new Slot(retry, stalled);
  }

  private boolean take(Slot slot) {
    List<Slot> stalled = new ArrayList<>();
    synchronized (this) {
      if (used < slots) {
        used++;
        holding.add(slot);
        return true;
      }
      waiting.add(slot);
      long now = nanoTime.getAsLong();
      for (Slot held : holding) {
        if (!held.stallTold && now - held.lastProgress > stallNanos) {
          held.stallTold = true;
          stalled.add(held);
        }
      }
    }
    for (Slot s : stalled) {
      log.warn("a stream held a transfer slot for {} s without taking a message; ending it", stallNanos / 1_000_000_000);
      wake.execute(s.stalled);
    }
    return false;
  }

  /**
   * Passes a slot on to the longest waiting stream, or frees it.
   *
   * @param leaves whether {@code from} holds no slot afterwards (false when it had two for a moment)
   */
  private void giveBack(Slot from, boolean leaves) {
    Slot next;
    synchronized (this) {
      if (leaves) {
        holding.remove(from);
      }
      Iterator<Slot> first = waiting.iterator();
      if (first.hasNext()) {
        next = first.next();
        first.remove();
        // Counted as holding from now, so that it has the whole stall time to begin.
        next.lastProgress = nanoTime.getAsLong();
        next.stallTold = false;
        holding.add(next);
      } else {
        used--;
        return;
      }
    }
    // The slot passes on as it is (still counted as used).
    wake.execute(next::granted);
  }

  /** {@code slot} holds a slot from now (again, if it gave one back while this one came). */
  private synchronized void holds(Slot slot) {
    holding.add(slot);
  }

  private synchronized boolean forget(Slot slot) {
    return waiting.remove(slot);
  }

  /** One stream's slot: held or not. Thread-safe. */
  final class Slot {
    private final Runnable retry;
    private final Runnable stalled;
    private boolean held;
    private boolean closed;
    /** When the stream last took a message with the slot held (the budget's monitor reads it). */
    private volatile long lastProgress;
    /** Guarded by the budget's monitor. */
    private boolean stallTold;

    private Slot(Runnable retry, Runnable stalled) {
      this.retry = retry;
      this.stalled = stalled;
    }

    /**
     * Whether the stream may send a large message now, which counts as progress; when not, it is
     * told later through its retry.
     */
    synchronized boolean take() {
      if (!held) {
        lastProgress = nanoTime.getAsLong();
        held = !closed && TransferBudget.this.take(this);
      }
      if (held) {
        lastProgress = nanoTime.getAsLong();
      }
      return held;
    }

    /** Gives the slot back, if held: the stream's transfer is over and left its buffers. */
    synchronized void giveBack() {
      if (held) {
        held = false;
        TransferBudget.this.giveBack(this, true);
      }
    }

    /** The stream ended: its slot goes back, and it stops waiting for one. */
    synchronized void close() {
      closed = true;
      forget(this);
      giveBack();
    }

    private void granted() {
      synchronized (this) {
        if (closed || held) {
          // Ended meanwhile, or took a slot of its own since it was picked: this one passes on.
          TransferBudget.this.giveBack(this, !held);
          return;
        }
        held = true;
        lastProgress = nanoTime.getAsLong();
        holds(this);
      }
      try {
        retry.run();
      } catch (RuntimeException e) {
        log.error("a stream given a transfer slot could not go on: {}", e.toString());
      }
    }
  }
}
