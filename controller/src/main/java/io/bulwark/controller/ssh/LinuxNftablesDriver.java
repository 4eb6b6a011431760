package io.bulwark.controller.ssh;

/**
 * Pushes a Bulwark nftables table to a Linux host over SSH, the way the agent applies it: one
 * nft transaction that replaces only {@code table inet bulwark}, then a read-back that must
 * print exactly the rules sent (the nftables generator writes nft's own listing format).
 */
public final class LinuxNftablesDriver implements PlatformDriver {
  private static final String REPLACE = "table inet bulwark {}\ndelete table inet bulwark\n";
  private static final String LIST = "nft -s list table inet bulwark";

  @Override
  public String platform() {
    return "linux-nftables";
  }

  /**
   * nft applies the file as one transaction, so no lock or confirm step is needed; the full table
   * is always sent ({@code delta} is not used).
   */
  @Override
  public Outcome push(Sessions sessions, String rules, Delta delta) {
    try (SshExecutor.Session session = sessions.open()) {
      return push(session, rules);
    }
  }

  /**
   * Replaces the table on {@code session} and reads it back there, in one remote command: the
   * listing runs only if nft took the whole transaction, and one command per push keeps the cost
   * on the device (a shell and nft per command) as low as a hand-written {@code ssh} loop's.
   */
  public Outcome push(SshExecutor.Session session, String rules) {
    SshExecutor.Result load = session.run("nft -f - && " + LIST, REPLACE + rules);
    if (load.exitCode() != 0) {
      return new Failed(PlatformDriver.clip(load.stderr().isBlank() ? load.stdout() : load.stderr()));
    }
    return compare(load.stdout(), rules);
  }

  /** Reads the table back and compares it with {@code rules}. */
  @Override
  public Outcome verify(SshExecutor.Session session, String rules) {
    SshExecutor.Result list = session.run(LIST, "");
    if (list.exitCode() != 0) {
      return new Failed(PlatformDriver.clip("read-back failed: " + list.stderr()));
    }
    return compare(list.stdout(), rules);
  }

  private static Outcome compare(String listed, String rules) {
    if (!normalise(listed).equals(normalise(rules))) {
      return new Failed("read-back differs from the rules sent");
    }
    return new Applied();
  }

  private static String normalise(String text) {
    return text.strip().replaceAll("[ \\t]+\\n", "\n");
  }
}
