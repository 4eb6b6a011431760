package io.bulwark.controller.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest status-report sequence of each device that is queued for the store and not stored
 * yet, whichever of the device's streams queued it. A stream knows the sequences stored when its
 * agent said hello; an agent that reconnects while its earlier stream's reports still wait for
 * the store resends them, and those must not be stored a second time. Thread-safe.
 */
final class ReportsInFlight {
  private final ConcurrentHashMap<String, Long> highest = new ConcurrentHashMap<>();

  /**
   * Whether report {@code sequence} of {@code device} is to be queued: false when it, or a later
   * one, is queued already (it will be stored once, and acknowledged then to the stream that
   * queued it; the agent resends it until an acknowledgement reaches it).
   */
  boolean claim(String device, long sequence) {
    boolean[] claimed = {false};
    highest.compute(device, (d, queued) -> {
      claimed[0] = queued == null || queued < sequence;
      return claimed[0] ? sequence : queued;
    });
    return claimed[0];
  }

  /** Reports of {@code device} up to {@code sequence} are stored: nothing of it waits unless newer. */
  void stored(String device, long sequence) {
    highest.computeIfPresent(device, (d, queued) -> queued <= sequence ? null : queued);
  }

  /** How many devices have reports waiting for the store (for tests). */
  int devices() {
    return highest.size();
  }
}
