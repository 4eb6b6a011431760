package io.bulwark.agent.bundle;

import java.time.Instant;
import java.util.Objects;

/**
 * What the controller signed for one desired state, after the signature verified.
 *
 * @param device the device the bundle is for
 * @param digest lowercase hex SHA-256 of the full rule set
 * @param baseGeneration the generation a delta applies to; 0 for a full rule set
 * @param blockDigest for a delta, the hex digest of the full rule set's lines in blocks ({@link
 *     io.bulwark.delta.LineBlocks}); empty when not signed
 */
public record SignedHeader(
    String device,
    long generation,
    String digest,
    long baseGeneration,
    Instant issuedAt,
    Instant expiresAt,
    String target,
    String blockDigest) {

  public SignedHeader {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(blockDigest, "blockDigest");
  }
}
