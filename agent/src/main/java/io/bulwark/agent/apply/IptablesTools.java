package io.bulwark.agent.apply;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The host commands the {@link IptablesApplier} runs, each a name looked up on PATH or a path.
 *
 * <p>The iptables pair decides the backend: {@code iptables-restore} is iptables-nft on current
 * Debian; {@code iptables-legacy-restore} can be given for hosts still on the legacy backend.
 */
public record IptablesTools(
    String ipset,
    String iptablesRestore,
    String iptablesSave,
    String ip6tablesRestore,
    String ip6tablesSave) {

  public IptablesTools {
    Objects.requireNonNull(ipset, "ipset");
    Objects.requireNonNull(iptablesRestore, "iptablesRestore");
    Objects.requireNonNull(iptablesSave, "iptablesSave");
    Objects.requireNonNull(ip6tablesRestore, "ip6tablesRestore");
    Objects.requireNonNull(ip6tablesSave, "ip6tablesSave");
  }

  /** The tools on PATH. */
  public static IptablesTools onPath() {
    return new IptablesTools(
        "ipset", "iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save");
  }

  /** Tools of the same names in {@code dir}, for example wrappers that run them elsewhere. */
  public static IptablesTools in(Path dir) {
    IptablesTools names = onPath();
    return new IptablesTools(
        dir.resolve(names.ipset).toString(),
        dir.resolve(names.iptablesRestore).toString(),
        dir.resolve(names.iptablesSave).toString(),
        dir.resolve(names.ip6tablesRestore).toString(),
        dir.resolve(names.ip6tablesSave).toString());
  }
}
