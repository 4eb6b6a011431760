package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.outbox.AppliedState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Decides what to do with a bundle whose signed header verified, given what is applied. Pure and
 * thread-safe.
 *
 * <p>A target the applier does not handle is rejected; the same generation with the same digest
 * is already applied; anything else is applied. Signatures, devices, expiry, rollback and digests
 * are {@link BundleVerifier}'s job and are settled before this runs.
 */
public final class BundleCheck {

  /** The decision. */
  public sealed interface Verdict {}

  /** Apply the rules. */
  public record Apply() implements Verdict {}

  /** The rules are in place already; confirm them. */
  public record AlreadyApplied() implements Verdict {}

  /** Refused without applying anything. */
  public record Rejected(String reason) implements Verdict {}

  private BundleCheck() {}

  public static Verdict check(SignedHeader header, AppliedState applied, String applierKind) {
    if (!header.target().isEmpty()
        && !header.target().equals(applierKind)
        && !applierKind.equals(DryRunApplier.KIND)) {
      return new Rejected(
          "target '" + header.target() + "' cannot be applied by the " + applierKind + " applier");
    }
    if (header.generation() == applied.generation() && header.digest().equals(applied.digest())) {
      return new AlreadyApplied();
    }
    return new Apply();
  }

  /** Characters encoded at a time, so that hashing a large rule set needs no copy of all of it. */
  private static final int HASH_SLICE_CHARS = 1 << 16;

  /** Lowercase hex SHA-256 of {@code text} encoded as UTF-8. */
  public static String sha256Hex(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      int start = 0;
      while (start < text.length()) {
        int end = Math.min(text.length(), start + HASH_SLICE_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
          end--; // never split a surrogate pair between two slices
        }
        sha256.update(text.substring(start, end).getBytes(StandardCharsets.UTF_8));
        start = end;
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
