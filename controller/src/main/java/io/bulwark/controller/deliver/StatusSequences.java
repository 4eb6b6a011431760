package io.bulwark.controller.deliver;

/**
 * The highest status-report sequence stored for each device, so that reports an agent resends
 * from its outbox after a reconnect are recognised as duplicates: the controller records a
 * report, then advances the sequence, then acknowledges it. Implementations are thread-safe.
 */
public interface StatusSequences {

  /** The highest sequence recorded for {@code device}; 0 when none. */
  long last(String device);

  /** Raises the device's sequence to {@code sequence}; never lowers it. */
  void advance(String device, long sequence);

  /** Forgets the device's sequence, when it enrolls again with a fresh agent. */
  void reset(String device);
}
