package io.bulwark.controller.deliver;

/**
 * The highest status-report sequence stored for each device, which tells reports an agent resends
 * from its outbox after a reconnect from new ones. It is stored with the reports themselves, in
 * the same transaction, and read when the agent says hello ({@link
 * io.bulwark.controller.domain.DeviceStore#greeting}); this forgets it. Implementations are
 * thread-safe.
 */
public interface StatusSequences {

  /** Forgets the device's sequence, when it enrolls again with a fresh agent. */
  void reset(String device);
}
