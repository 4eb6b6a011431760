package io.bulwark.agent.bundle;

import java.util.Objects;

/**
 * A desired state as received from the controller, not yet verified.
 *
 * @param generation the controller's rising generation number for this device
 * @param target the rule-set kind, for example "nftables"; empty when unspecified
 * @param rules the native rule set
 * @param digest hex SHA-256 the controller claims for {@code rules} (UTF-8)
 */
public record RuleBundle(long generation, String target, String rules, String digest) {

  public RuleBundle {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(digest, "digest");
  }

  @Override
  public String toString() {
    return "RuleBundle[generation="
        + generation
        + ", target="
        + target
        + ", digest="
        + digest
        + ", "
        + rules.length()
        + " chars]";
  }
}
