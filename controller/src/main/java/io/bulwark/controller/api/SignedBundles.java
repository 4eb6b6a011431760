package io.bulwark.controller.api;

import com.google.protobuf.ByteString;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a desired state into the signed message an agent verifies: a {@link BundleHeader} naming
 * the device, generation, digest, base generation (0: a full rule set), issue time and expiry,
 * serialized once and signed over those exact bytes. Each send is signed afresh, so the expiry
 * bounds how long a captured bundle can be replayed. Thread-safe.
 */
public final class SignedBundles {
  /** How long an agent accepts a bundle after it was sent. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

  private final BundleSigner signer;
  private final Clock clock;
  private final Duration validity;

  public SignedBundles(BundleSigner signer, Clock clock) {
    this(signer, clock, DEFAULT_VALIDITY);
  }

  public SignedBundles(BundleSigner signer, Clock clock, Duration validity) {
    this.signer = signer;
    this.clock = clock;
    this.validity = validity;
  }

  /** The wire form of {@code state}, signed now. */
  public io.bulwark.proto.agent.v1.DesiredState sign(DesiredState state) {
    return io.bulwark.proto.agent.v1.DesiredState.newBuilder(signed(state, 0))
        .setRules(state.rules())
        .build();
  }

  /**
   * The wire form of {@code state} as {@code delta} from {@code baseGeneration}, signed now; the
   * digest signed is still that of the full rules, which the agent checks after rebuilding them.
   */
  public io.bulwark.proto.agent.v1.DesiredState signDelta(
      DesiredState state, long baseGeneration, io.bulwark.proto.agent.v1.RuleDelta delta) {
    return io.bulwark.proto.agent.v1.DesiredState.newBuilder(signed(state, baseGeneration))
        .setDelta(delta)
        .build();
  }

  private io.bulwark.proto.agent.v1.DesiredState signed(DesiredState state, long baseGeneration) {
    Instant now = clock.instant();
    byte[] header =
        BundleHeader.newBuilder()
            .setDevice(state.device())
            .setGeneration(state.generation())
            .setDigest(state.digest())
            .setBaseGeneration(baseGeneration)
            .setIssuedAtMillis(now.toEpochMilli())
            .setExpiresAtMillis(now.plus(validity).toEpochMilli())
            .setTarget(state.target())
            .build()
            .toByteArray();
    return io.bulwark.proto.agent.v1.DesiredState.newBuilder()
        .setGeneration(state.generation())
        .setTarget(state.target())
        .setDigest(state.digest())
        .setSignedHeader(ByteString.copyFrom(header))
        .setSignature(ByteString.copyFrom(signer.sign(header)))
        .build();
  }
}
