package io.bulwark.controller.ssh;

/**
 * Brings one kind of agentless device to a Bulwark rule set over SSH. A driver runs, in order:
 * open a session, lock the configuration if the platform has a lock, read the current Bulwark
 * section, push, commit with an automatic rollback unless confirmed, verify on a fresh session,
 * confirm, read back and compare with the rules, unlock. A push that fails at any step leaves the
 * device on its previous configuration (or on its way back to it by itself) and returns {@link
 * Failed} with the device's own output. Implementations are stateless and thread-safe.
 */
public interface PlatformDriver {
  /** What a push or a verification did. */
  sealed interface Outcome permits Applied, Failed {}

  /** Applied (or found in place) and read back equal to the rules. */
  record Applied() implements Outcome {}

  /**
   * Not applied, or read back different.
   *
   * @param output what went wrong, with the device's own output; never holds credentials
   */
  record Failed(String output) implements Outcome {}

  /** Opens a fresh, authenticated session to the device each time it is called. */
  @FunctionalInterface
  interface Sessions {
    SshExecutor.Session open();
  }

  /** The platform name this driver serves, as registered ({@code linux-nftables}, {@code junos}). */
  String platform();

  /**
   * The change from a generation the device is believed to hold to the one to push.
   *
   * @param fromRules the full rules of the generation the device is believed to hold
   * @param commands the generator's delta from that generation to the one to push
   */
  record Delta(String fromRules, String commands) {}

  /**
   * Pushes {@code rules} (the generator's full text for this platform) and verifies them.
   *
   * @throws io.bulwark.controller.domain.BulwarkException when the device cannot be reached at
   *     all before anything was changed
   */
  default Outcome push(Sessions sessions, String rules) {
    return push(sessions, rules, null);
  }

  /**
   * As {@link #push(Sessions, String)}, sending only {@code delta}'s commands when the device's
   * Bulwark section reads back equal to {@code delta.fromRules()}, and the full section otherwise.
   * Either way the result is read back and compared with {@code rules}. A driver without deltas
   * pushes the full section.
   *
   * @param delta the change to send, or null when the generation the device holds is unknown
   */
  Outcome push(Sessions sessions, String rules, Delta delta);

  /** Reads the Bulwark section back on {@code session} and compares it with {@code rules}. */
  Outcome verify(SshExecutor.Session session, String rules);

  /** Trims device output to what a report keeps. */
  static String clip(String s) {
    String t = s == null ? "" : s.strip();
    return t.length() > 4000 ? t.substring(0, 4000) : t;
  }
}
