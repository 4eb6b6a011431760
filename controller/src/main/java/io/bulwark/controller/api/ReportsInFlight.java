package io.bulwark.controller.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller knows of each device's status-report sequences, across its streams: the
 * highest stored (read from the store at each hello, raised as batches are stored) and the highest
 * queued for the store. An agent that reconnects while its earlier stream's reports still wait for
 * the store, or were stored after its new hello read the store, resends them; each is stored once.
 * Thread-safe.
 */
final class ReportsInFlight {
  /** What a report's sequence says about it. */
  enum Seen {
    /** Not seen: to be queued for the store. */
    NEW,
    /** Queued, not stored yet: it is acknowledged, to the stream that queued it, once stored. */
    QUEUED,
    /** Stored: acknowledged again, or the agent would keep resending it. */
    STORED
  }

  private record Known(long stored, long queued) {}

  private final ConcurrentHashMap<String, Known> devices = new ConcurrentHashMap<>();

  /** At a hello: {@code stored} is the device's highest sequence in the store. */
  void hello(String device, long stored) {
    devices.merge(device, new Known(stored, stored),
        (was, now) -> new Known(Math.max(was.stored(), stored), Math.max(was.queued(), stored)));
  }

  /** What report {@code sequence} of {@code device} is; a {@link Seen#NEW} one counts as queued from here on. */
  Seen claim(String device, long sequence) {
    Seen[] seen = {Seen.NEW};
    devices.compute(device, (d, known) -> {
      Known k = known == null ? new Known(0, 0) : known;
      if (sequence <= k.stored()) {
        seen[0] = Seen.STORED;
        return k;
      }
      if (sequence <= k.queued()) {
        seen[0] = Seen.QUEUED;
        return k;
      }
      return new Known(k.stored(), sequence);
    });
    return seen[0];
  }

  /** Reports of {@code device} up to {@code sequence} are stored. */
  void stored(String device, long sequence) {
    devices.computeIfPresent(device,
        (d, k) -> new Known(Math.max(k.stored(), sequence), Math.max(k.queued(), sequence)));
  }

  /** The device enrolled again: its new agent numbers its reports afresh. */
  void forget(String device) {
    devices.remove(device);
  }
}
