package io.bulwark.controller.ssh;

/**
 * Pushes a Bulwark nftables table to a Linux host over SSH, the way the agent applies it: one
 * nft transaction that replaces only {@code table inet bulwark}, then a read-back that must
 * print exactly the rules sent (the nftables generator writes nft's own listing format).
 */
public final class LinuxNftablesDriver implements PlatformDriver {
  private static final String REPLACE = "table inet bulwark {}\ndelete table inet bulwark\n";

  @Override
  public String platform() {
    return "linux-nftables";
  }

  /** nft applies the file as one transaction, so no lock or confirm step is needed. */
  @Override
  public Outcome push(Sessions sessions, String rules) {
    try (SshExecutor.Session session = sessions.open()) {
      return push(session, rules);
    }
  }

  /** Replaces the table on {@code session} and reads it back there. */
  public Outcome push(SshExecutor.Session session, String rules) {
    SshExecutor.Result load = session.run("nft -f -", REPLACE + rules);
    if (load.exitCode() != 0) {
      return new Failed(PlatformDriver.clip(load.stderr().isBlank() ? load.stdout() : load.stderr()));
    }
    return verify(session, rules);
  }

  /** Reads the table back and compares it with {@code rules}. */
  @Override
  public Outcome verify(SshExecutor.Session session, String rules) {
    SshExecutor.Result list = session.run("nft -s list table inet bulwark", "");
    if (list.exitCode() != 0) {
      return new Failed(PlatformDriver.clip("read-back failed: " + list.stderr()));
    }
    if (!normalise(list.stdout()).equals(normalise(rules))) {
      return new Failed("read-back differs from the rules sent");
    }
    return new Applied();
  }

  private static String normalise(String text) {
    return text.strip().replaceAll("[ \\t]+\\n", "\n");
  }
}
