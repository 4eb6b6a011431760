package io.bulwark.controller.ssh.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the commands simulated devices are running at once, in all and per device, and keeps
 * the highest counts seen. A command counts from the moment the device accepts it until just
 * before it answers, so a client that waits for each answer never overlaps itself. Thread-safe.
 */
public final class ConcurrencyGauge {
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final Map<Object, AtomicInteger> perDevice = new ConcurrentHashMap<>();
  private final AtomicInteger maxPerDevice = new AtomicInteger();

  void enter(Object device) {
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    int mine = perDevice.computeIfAbsent(device, d -> new AtomicInteger()).incrementAndGet();
    maxPerDevice.accumulateAndGet(mine, Math::max);
  }

  void exit(Object device) {
    perDevice.get(device).decrementAndGet();
    running.decrementAndGet();
  }

  /** The most commands seen running at once over all devices. */
  public int maxRunning() {
    return maxRunning.get();
  }

  /** The most commands seen running at once on any one device. */
  public int maxPerDevice() {
    return maxPerDevice.get();
  }

  /** How many devices ran at least one command. */
  public int devicesSeen() {
    return perDevice.size();
  }
}
