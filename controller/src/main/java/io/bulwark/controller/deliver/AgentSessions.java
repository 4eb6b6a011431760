package io.bulwark.controller.deliver;

import io.bulwark.controller.domain.DesiredState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open agent streams, one per device. A new stream for a device replaces the old one,
 * which is closed. Thread-safe.
 */
public final class AgentSessions {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentSessions.class);

  /** One open stream as the delivery side sees it. */
  public interface Session {
    /** Sends a desired state; must not block for long and must be safe from any thread. */
    void send(DesiredState state);

    /** Ends the stream from the controller's side. */
    void close(String reason);
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  /** Signs and sends new generations off the caller's thread, a bounded number at a time. */
  private final java.util.concurrent.ExecutorService fanout =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "bulwark-fanout");
            t.setDaemon(true);
            return t;
          });

  /** Up to this many states are sent on the caller's thread, at once. */
  private static final int INLINE = 64;

  /**
   * Sends each state to its device if connected: a few at once, more on the fan-out threads; a session keeps only the
   * newest state it was given, so order between the threads does not matter.
   */
  public void pushAll(java.util.List<DesiredState> states) {
    if (states.size() <= INLINE) {
      states.forEach(this::pushOrLog);
      return;
    }
    int parts = Math.max(1, Math.min(states.size() / 256, Runtime.getRuntime().availableProcessors() * 2));
    int size = (states.size() + parts - 1) / Math.max(1, parts);
    for (int i = 0; i < states.size(); i += Math.max(1, size)) {
      var part = states.subList(i, Math.min(states.size(), i + Math.max(1, size)));
      fanout.execute(() -> part.forEach(this::pushOrLog));
    }
  }

  /** Registers the stream of {@code device}, closing any earlier one. */
  public void open(String device, Session session) {
    Session previous = sessions.put(device, session);
    if (previous != null && previous != session) {
      previous.close("replaced by a newer stream from the same device");
    }
  }

  /** Forgets the stream if it is still the current one; returns whether it was. */
  public boolean closed(String device, Session session) {
    return sessions.remove(device, session);
  }

  public Optional<Session> find(String device) {
    return Optional.ofNullable(sessions.get(device));
  }

  /** One device's failure costs only its own state; the others still get theirs. */
  private void pushOrLog(DesiredState state) {
    try {
      push(state);
    } catch (RuntimeException e) {
      log.error("generation {} could not be sent to device {}: {}", state.generation(), state.device(), e.toString());
    }
  }

  /** Sends to the device if it is connected; returns whether it was. */
  public boolean push(DesiredState state) {
    Session s = sessions.get(state.device());
    if (s == null) {
      return false;
    }
    s.send(state);
    return true;
  }

  public int size() {
    return sessions.size();
  }

  /** Closes every stream, for shutdown. */
  public void closeAll(String reason) {
    fanout.shutdown();
    sessions.forEach((device, s) -> s.close(reason));
    sessions.clear();
  }
}
