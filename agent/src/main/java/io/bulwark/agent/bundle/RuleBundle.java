package io.bulwark.agent.bundle;

import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.Objects;

/**
 * A desired state as received from the controller, not yet verified.
 *
 * @param generation the unsigned copy of the generation
 * @param target the rule-set kind, for example "nftables"; empty when unspecified
 * @param rules the native rule set
 * @param digest hex SHA-256 the controller claims for {@code rules} (UTF-8), unsigned copy
 * @param signedHeader the serialized header exactly as received; what the signature covers
 * @param signature Ed25519 signature of {@code signedHeader}
 * @param delta the edits from the signed base generation; null for a full rule set, in which
 *     case {@code rules} holds it
 */
public record RuleBundle(
    long generation,
    String target,
    String rules,
    String digest,
    byte[] signedHeader,
    byte[] signature,
    RuleDelta delta) {

  /** A full rule set. */
  public RuleBundle(
      long generation, String target, String rules, String digest, byte[] signedHeader, byte[] signature) {
    this(generation, target, rules, digest, signedHeader, signature, null);
  }

  public RuleBundle {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(signedHeader, "signedHeader");
    Objects.requireNonNull(signature, "signature");
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
        + (delta == null ? rules.length() + " chars]" : delta.getEditsCount() + " line edits]");
  }
}
