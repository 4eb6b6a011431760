package io.bulwark.controller.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * What the controller knows of each device's status-report sequences, across its streams: the
 * highest stored (read from the store at each hello, raised as batches are stored) and the highest
 * queued for the store. An agent that reconnects while its earlier stream's reports still wait for
 * the store, or were stored after its new hello read the store, resends them; each is stored once,
 * and the stream that got a resent copy still queued is told when it is stored (its first copy's
 * acknowledgement went to a stream that may be gone). A device's new reports reach the store's queue
 * in the order they are claimed (see {@link #claimAndQueue}). Thread-safe.
 */
final class ReportsInFlight {
  /** What a report's sequence says about it. */
  enum Seen {
    /** Not seen: to be queued for the store. */
    NEW,
    /** Queued, not stored yet: the claimer is told once it is stored. */
    QUEUED,
    /** Stored: acknowledged again, or the agent would keep resending it. */
    STORED
  }

  /** {@code acknowledge} is told {@code sequence} once reports up to it are stored. */
  private record Waiting(long sequence, LongConsumer acknowledge) {}

  /** @param waiting the stream that claimed the newest resent report still queued, or null */
  private record Known(long stored, long queued, Waiting waiting) {
    Known(long stored, long queued) {
      this(stored, queued, null);
    }
  }

  private final ConcurrentHashMap<String, Known> devices = new ConcurrentHashMap<>();
  /** Held from a claim to the end of its queueing, one per device (kept: a device is never deleted). */
  private final ConcurrentHashMap<String, ReentrantLock> queueing = new ConcurrentHashMap<>();

  /** At a hello: {@code stored} is the device's highest sequence in the store. */
  void hello(String device, long stored) {
    raise(device, stored, true);
  }

  /**
   * What report {@code sequence} of {@code device} is; a {@link Seen#NEW} one counts as queued from
   * here on. For a {@link Seen#QUEUED} one, {@code acknowledge} is told its sequence once it is
   * stored (or, if others of the device were claimed so, the highest of them), in place of any
   * other stream waiting for the device's reports; with {@code acknowledge} null (a stream that is
   * no longer the device's) nothing changes.
   */
  Seen claim(String device, long sequence, LongConsumer acknowledge) {
    Seen[] seen = {Seen.NEW};
    devices.compute(device, (d, known) -> {
      Known k = known == null ? new Known(0, 0) : known;
      if (sequence <= k.stored()) {
        seen[0] = Seen.STORED;
        return k;
      }
      if (sequence <= k.queued()) {
        seen[0] = Seen.QUEUED;
        if (acknowledge == null) {
          return k;
        }
        long waitFor = k.waiting() == null ? sequence : Math.max(k.waiting().sequence(), sequence);
        return new Known(k.stored(), k.queued(), new Waiting(waitFor, acknowledge));
      }
      return new Known(k.stored(), sequence, k.waiting());
    });
    return seen[0];
  }

  /**
   * {@link #claim}, with the waiter {@code acknowledge} gives once no other stream of the device
   * is claiming, and for a {@link Seen#NEW} report {@code queue}, before another stream of the
   * device can claim one. Acknowledgements are cumulative, so a report must never be queued after a
   * later one of its device: a stream waiting to queue report 6 (the queue full) while its agent
   * reconnected would otherwise let the new stream claim the resent 6 as queued and queue 7 first,
   * and the acknowledgement of 7, once stored, would cover 6 before it was stored. A report that
   * {@code queue} fails to queue (it throws) is not counted as queued: a copy resent later is.
   */
  Seen claimAndQueue(String device, long sequence, Supplier<LongConsumer> acknowledge, Runnable queue) {
    ReentrantLock lock = queueing.computeIfAbsent(device, d -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a status report", e);
    }
    try {
      Known before = devices.get(device);
      Seen seen = claim(device, sequence, acknowledge.get());
      if (seen == Seen.NEW) {
        try {
          queue.run();
        } catch (RuntimeException e) {
          long queuedBefore = before == null ? 0 : before.queued();
          devices.computeIfPresent(device, (d, k) -> k.queued() != sequence ? k
              : new Known(k.stored(), Math.max(k.stored(), queuedBefore), k.waiting()));
          throw e;
        }
      }
      return seen;
    } finally {
      lock.unlock();
    }
  }

  /** Reports of {@code device} up to {@code sequence} are stored. */
  void stored(String device, long sequence) {
    raise(device, sequence, false);
  }

  /** Raises what is known stored of {@code device}, counting it in first if {@code create}. */
  private void raise(String device, long sequence, boolean create) {
    Waiting[] done = {null};
    devices.compute(device, (d, known) -> {
      if (known == null && !create) {
        return null;
      }
      Known k = known == null ? new Known(0, 0) : known;
      done[0] = k.waiting() != null && k.waiting().sequence() <= sequence ? k.waiting() : null;
      return new Known(Math.max(k.stored(), sequence), Math.max(k.queued(), sequence),
          done[0] == null ? k.waiting() : null);
    });
    tell(done[0]);
  }

  /** Outside the map's lock, as a stream's acknowledgement takes the stream's own. */
  private static void tell(Waiting done) {
    if (done != null) {
      done.acknowledge().accept(done.sequence());
    }
  }

  /** The stream whose {@code acknowledge} this is has ended: it waits no more. */
  void left(String device, LongConsumer acknowledge) {
    devices.computeIfPresent(device, (d, k) -> k.waiting() == null || k.waiting().acknowledge() != acknowledge ? k
        : new Known(k.stored(), k.queued(), null));
  }

  /** The device enrolled again: its new agent numbers its reports afresh. */
  void forget(String device) {
    devices.remove(device);
  }
}
