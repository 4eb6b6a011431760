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
 * Bounds how many agent streams send a large rule set at once, in chunks or as one message of a
 * quarter chunk or more. Each such stream holds up to a chunk (1 MiB) in the transport's buffers
 * until its agent reads it, so a large rule set approved for 10,000 agents would otherwise take
 * 10 GB of the controller's memory at once. A stream takes a {@link Slot} before its first message
 * and gives it back once its last one has left (the stream is ready again); a stream
 * that finds none waits its turn, and a slot given back goes straight to the longest waiting one,
 * whose stream is then told to go on. A stream that holds a slot and reads nothing for {@link
 * #STALL_LIMIT} is told to close ({@link #closeStalled}), so that agents that stop reading cannot
 * keep the slots from the others. Thread-safe.
 */
public final class TransferBudget {
  /** The most slots a budget has, whatever the heap. */
  public static final int MAX_SLOTS = 1024;
  /** How long a stream may hold a slot without its agent reading a message. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(180);

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TransferBudget.class);
  private final int slots;
  private final Executor wake;
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();
  private final Set<Slot> holding = new HashSet<>();
  private int used;

  /**
   * @param slots how many streams may send chunks at once
   * @param wake runs a waiting stream's retry once it got a slot; never the caller's thread, as the
   *     slot is given back by another stream holding its own lock
   */
  TransferBudget(int slots, Executor wake) {
    if (slots < 1) {
      throw new IllegalArgumentException("need at least one transfer slot, not " + slots);
    }
    this.slots = slots;
    this.wake = wake;
  }

  /**
   * As many slots as chunks fit in an eighth of the heap's ceiling (held in Netty's direct
   * buffers), from 16 to 1,024, woken on a thread of its own.
   */
  static TransferBudget forThisHeap() {
    long chunks = Runtime.getRuntime().maxMemory() / 8 / RuleChunks.DEFAULT_CHUNK_BYTES;
    ScheduledExecutorService wake = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bulwark-transfer-slots");
      t.setDaemon(true);
      return t;
    });
    TransferBudget budget = new TransferBudget((int) Math.max(16, Math.min(MAX_SLOTS, chunks)), wake);
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

  int slots() {
    return slots;
  }

  /** Slots taken now. */
  synchronized int used() {
    return used;
  }

  /**
   * A stream's place in the budget; {@code retry} makes the stream send again, {@code stalled}
   * closes it (its agent read nothing for {@link #STALL_LIMIT} while it held the slot).
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

  private synchronized boolean take(Slot slot) {
    if (used < slots) {
      used++;
      holding.add(slot);
      return true;
    }
    waiting.add(slot);
    return false;
  }

  private void giveBack(Slot slot) {
    Slot next;
    synchronized (this) {
      if (!slot.held) {
        holding.remove(slot);
      }
      Iterator<Slot> first = waiting.iterator();
      if (first.hasNext()) {
        next = first.next();
        first.remove();
      } else {
        used--;
        return;
      }
      // The slot passes on as it is (still counted as used).
      holding.add(next);
      next.progressNanos = System.nanoTime();
    }
    wake.execute(next::granted);
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
    /** When its agent last read a message, or it got the slot: {@link System#nanoTime}. */
    private volatile long progressNanos = System.nanoTime();

    private Slot(Runnable retry, Runnable stalled) {
      this.retry = retry;
      this.stalled = stalled;
    }

    /** Its agent read what was sent (the stream was ready to send again). */
    void progress() {
      progressNanos = System.nanoTime();
    }

    /** Whether the stream may send a chunk now; when not, it is told later through its retry. */
    synchronized boolean take() {
      if (held) {
        return true;
      }
      held = !closed && TransferBudget.this.take(this);
      return held;
    }

    /** Gives the slot back, if held: the stream's transfer is over and left its buffers. */
    synchronized void giveBack() {
      if (held) {
        held = false;
        TransferBudget.this.giveBack(this);
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
          TransferBudget.this.giveBack(this);
          return;
        }
        held = true;
      }
      try {
        retry.run();
      } catch (RuntimeException e) {
        log.error("a stream given a transfer slot could not go on: {}", e.toString());
      }
    }
  }
}
