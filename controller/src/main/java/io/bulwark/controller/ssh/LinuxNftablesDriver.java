package io.bulwark.controller.ssh;

/**
 * Pushes a Bulwark nftables table to a Linux host over SSH, the way the agent applies it: one
 * nft transaction that replaces only {@code table inet bulwark}, then a read-back that must
 * print exactly the rules sent (the nftables generator writes nft's own listing format).
 */
public final class LinuxNftablesDriver {
  private static final String REPLACE = "table inet bulwark {}\ndelete table inet bulwark\n";

  /** What a push did. */
  public sealed interface Outcome {}

  /** Applied and read back equal. */
  public record Applied() implements Outcome {}

  /** Not applied (the previous table stays), or read back different; {@code output} is the device's own. */
  public record Failed(String output) implements Outcome {}

  public Outcome push(SshExecutor.Session session, String rules) {
    SshExecutor.Result load = session.run("nft -f -", REPLACE + rules);
    if (load.exitCode() != 0) {
      return new Failed(clip(load.stderr().isBlank() ? load.stdout() : load.stderr()));
    }
    return verify(session, rules);
  }

  /** Reads the table back and compares it with {@code rules}. */
  public Outcome verify(SshExecutor.Session session, String rules) {
    SshExecutor.Result list = session.run("nft -s list table inet bulwark", "");
    if (list.exitCode() != 0) {
      return new Failed(clip("read-back failed: " + list.stderr()));
    }
    if (!normalise(list.stdout()).equals(normalise(rules))) {
      return new Failed("read-back differs from the rules sent");
    }
    return new Applied();
  }

  private static String normalise(String text) {
    return text.strip().replaceAll("[ \\t]+\\n", "\n");
  }

  private static String clip(String s) {
    String t = s.strip();
    return t.length() > 4000 ? t.substring(0, 4000) : t;
  }
}
