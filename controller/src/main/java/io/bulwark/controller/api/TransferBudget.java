package io.bulwark.controller.api;

import io.bulwark.chunk.RuleChunks;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Bounds how many agent streams send a large rule set at once, in chunks or as one message of a
 * quarter chunk or more. Each such stream holds up to a chunk (1 MiB) in the transport's buffers
 * until its agent reads it, so a large rule set approved for 10,000 agents would otherwise take
 * 10 GB of the controller's memory at once. A stream takes a {@link Slot} before its first message
 * and gives it back once its last one has left (the stream is ready again); a stream
 * that finds none waits its turn, and a slot given back goes straight to the longest waiting one,
 * whose stream is then told to go on. Thread-safe.
 */
public final class TransferBudget {
  /** The most slots a budget has, whatever the heap. */
  public static final int MAX_SLOTS = 1024;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TransferBudget.class);
  private final int slots;
  private final Executor wake;
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();
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
    ExecutorService wake = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bulwark-transfer-slots");
      t.setDaemon(true);
      return t;
    });
    return new TransferBudget((int) Math.max(16, Math.min(MAX_SLOTS, chunks)), wake);
  }

  int slots() {
    return slots;
  }

  /** Slots taken now. */
  synchronized int used() {
    return used;
  }

  /** A stream's place in the budget; {@code retry} makes the stream send again. */
  Slot slot(Runnable retry) {
    return new Slot(retry);
  }

  private synchronized boolean take(Slot slot) {
    if (used < slots) {
      used++;
      return true;
    }
    waiting.add(slot);
    return false;
  }

  private void giveBack() {
    Slot next;
    synchronized (this) {
      Iterator<Slot> first = waiting.iterator();
      if (first.hasNext()) {
        next = first.next();
        first.remove();
      } else {
        used--;
        return;
      }
    }
    // The slot passes on as it is (still counted as used).
    wake.execute(next::granted);
  }

  private synchronized boolean forget(Slot slot) {
    return waiting.remove(slot);
  }

  /** One stream's slot: held or not. Thread-safe. */
  final class Slot {
    private final Runnable retry;
    private boolean held;
    private boolean closed;

    private Slot(Runnable retry) {
      this.retry = retry;
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
        TransferBudget.this.giveBack();
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
          TransferBudget.this.giveBack();
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
