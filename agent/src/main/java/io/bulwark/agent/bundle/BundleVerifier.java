package io.bulwark.agent.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a bundle really comes from this agent's controller and may be applied here.
 *
 * <p>In order, stopping at the first failure: the Ed25519 signature over the exact header bytes
 * received, with the key pinned at enrollment (nothing is parsed before it verifies); the header
 * parses; it names this device; it is a full rule set (deltas are not accepted yet); it has not
 * expired; its generation is not below the high-water mark (no rollback); the unsigned copy of the
 * generation agrees with it; and the SHA-256 of the rules equals its digest. Thread-safe.
 */
public final class BundleVerifier {

  /** The outcome. */
  public sealed interface Result {}

  /** Signed by the controller for this device; {@code header} is what it signed. */
  public record Verified(SignedHeader header) implements Result {}

  /** Not to be applied; the reason is sent to the controller. */
  public record Rejected(String reason) implements Result {}

  private final String device;
  private final PublicKey key;
  private final Clock clock;

  public BundleVerifier(String device, PublicKey key, Clock clock) {
    this.device = Objects.requireNonNull(device, "device");
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Verifies {@code bundle} against the highest generation accepted so far. */
  public Result verify(RuleBundle bundle, long highWater) {
    if (!signatureVerifies(bundle.signedHeader(), bundle.signature())) {
      return new Rejected("bad signature: the bundle is not signed by the pinned controller key");
    }
    SignedHeader header;
    try {
      header = parse(bundle.signedHeader());
    } catch (InvalidProtocolBufferException e) {
      return new Rejected("the signed header is malformed: " + e.getMessage());
    }
    if (!header.device().equals(device)) {
      return new Rejected(
          "the bundle is for device '" + header.device() + "', this agent is '" + device + "'");
    }
    if (header.baseGeneration() != 0) {
      return new Rejected(
          "delta bundles (base generation "
              + Long.toUnsignedString(header.baseGeneration())
              + ") are not supported by this agent");
    }
    Instant now = clock.instant();
    if (!now.isBefore(header.expiresAt())) {
      return new Rejected("the bundle expired at " + header.expiresAt() + " (now " + now + ")");
    }
    if (Long.compareUnsigned(header.generation(), highWater) < 0) {
      return new Rejected(
          "generation "
              + Long.toUnsignedString(header.generation())
              + " is older than generation "
              + Long.toUnsignedString(highWater)
              + " already accepted (rollback refused)");
    }
    if (bundle.generation() != header.generation()) {
      return new Rejected("the unsigned generation differs from the signed one");
    }
    if (!BundleCheck.sha256Hex(bundle.rules()).equals(header.digest())) {
      return new Rejected("digest mismatch: the rules do not hash to the signed digest");
    }
    return new Verified(header);
  }

  private boolean signatureVerifies(byte[] header, byte[] signature) {
    if (header.length == 0 || signature.length == 0) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(header);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static SignedHeader parse(byte[] bytes) throws InvalidProtocolBufferException {
    BundleHeader header = BundleHeader.parseFrom(bytes);
    return new SignedHeader(
        header.getDevice(),
        header.getGeneration(),
        header.getDigest().toLowerCase(Locale.ROOT),
        header.getBaseGeneration(),
        Instant.ofEpochMilli(header.getIssuedAtMillis()),
        Instant.ofEpochMilli(header.getExpiresAtMillis()),
        header.getTarget());
  }
}
