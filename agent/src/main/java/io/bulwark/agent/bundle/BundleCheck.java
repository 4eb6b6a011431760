package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.outbox.AppliedState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Decides what to do with a {@link RuleBundle}, given what is applied. Pure and thread-safe.
 *
 * <p>In order: a digest that does not match the rules is rejected (nothing is applied); a target
 * the applier does not handle is rejected; an older generation is stale and ignored; the same
 * generation with the same digest is already applied; anything else is applied.
 */
public final class BundleCheck {

  /** The decision. */
  public sealed interface Verdict {}

  /** Apply the rules. */
  public record Apply() implements Verdict {}

  /** The rules are in place already; confirm them. */
  public record AlreadyApplied() implements Verdict {}

  /** Older than what is applied; never go back. */
  public record Stale(long appliedGeneration) implements Verdict {}

  /** Refused without applying anything. */
  public record Rejected(String reason) implements Verdict {}

  private BundleCheck() {}

  public static Verdict check(RuleBundle bundle, AppliedState applied, String applierKind) {
    if (!sha256Hex(bundle.rules()).equals(bundle.digest().toLowerCase(Locale.ROOT))) {
      return new Rejected("digest mismatch");
    }
    if (!bundle.target().isEmpty()
        && !bundle.target().equals(applierKind)
        && !applierKind.equals(DryRunApplier.KIND)) {
      return new Rejected(
          "target '" + bundle.target() + "' cannot be applied by the " + applierKind + " applier");
    }
    int order = Long.compareUnsigned(bundle.generation(), applied.generation());
    if (order < 0) {
      return new Stale(applied.generation());
    }
    if (order == 0 && bundle.digest().equalsIgnoreCase(applied.digest())) {
      return new AlreadyApplied();
    }
    return new Apply();
  }

  /** Lowercase hex SHA-256 of {@code text} encoded as UTF-8. */
  public static String sha256Hex(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
