package io.bulwark.controller.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.bulwark.chunk.RuleChunks;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a desired state into the signed message an agent verifies: a {@link BundleHeader} naming
 * the device, generation, digest, base generation (0: a full rule set), issue time and expiry
 * (and for a delta the rules' block digest), serialized once and signed over those exact bytes.
 * Each send is signed afresh, so the expiry bounds how long a captured bundle can be replayed.
 * Thread-safe.
 *
 * <p>Rules and deltas go into the messages already encoded, in their fields' places, so that a
 * fleet shares one encoding: the messages are meant for the wire, where they read as usual. Read
 * without serializing (as the in-process transport hands them over), they lack their rules or
 * delta, and an agent refuses them as not matching their signed digest.
 */
public final class SignedBundles {
  /** How long an agent accepts a bundle after it was sent. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

  private static final int KEEP_PAYLOADS = 4;
  /** Deltas are small: enough for devices coming from many generations at once. */
  private static final int KEEP_DELTAS = 16;
  /** Block digests are short: enough for every scope's rule set of a large fleet. */
  private static final int KEEP_BLOCK_DIGESTS = 1024;

  private static final Logger log = LoggerFactory.getLogger(SignedBundles.class);

  private final BundleSigner signer;
  private final Clock clock;
  private final Duration validity;
  private final int chunkBytes;
  /** The UTF-8 of the few large rule sets being sent, by digest: a fleet shares one copy. */
  private final Map<String, ByteString> payloads = lastUsed(KEEP_PAYLOADS);

  /**
   * The encoding of the few deltas being sent: a delta is one message shared by every device that
   * moves between the same two rule sets, and encoding its thousand lines per device cost more than
   * signing for it.
   */
  private final Map<io.bulwark.proto.agent.v1.RuleDelta, ByteString> encodedDeltas = lastUsed(KEEP_DELTAS);

  /**
   * The block digests ({@link LineBlocks}) of the few rule sets deltas lead to, by digest: signed
   * with each delta, so that an agent checks the rules it rebuilds by hashing only the blocks the
   * delta touched.
   */
  private final Map<String, CompletableFuture<String>> blockDigests = lastUsed(KEEP_BLOCK_DIGESTS);

  /** A map of the {@code keep} entries used last; not thread-safe. */
  private static <K, V> Map<K, V> lastUsed(int keep) {
    return new LinkedHashMap<>(2 * keep, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > keep;
      }
    };
  }

  public SignedBundles(BundleSigner signer, Clock clock) {
    this(signer, clock, DEFAULT_VALIDITY);
  }

  public SignedBundles(BundleSigner signer, Clock clock, Duration validity) {
    this(signer, clock, validity, RuleChunks.DEFAULT_CHUNK_BYTES);
  }

  /** As above; rule sets and deltas larger than {@code chunkBytes} are sent in chunks. */
  public SignedBundles(BundleSigner signer, Clock clock, Duration validity, int chunkBytes) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("the chunk size must be positive, not " + chunkBytes);
    }
    this.signer = signer;
    this.clock = clock;
    this.validity = validity;
    this.chunkBytes = chunkBytes;
  }

  /** {@code state} in full, signed now: one message, or chunks when larger than a chunk. */
  BundleTransfer transfer(DesiredState state) {
    // UTF-8 takes at most three bytes per UTF-16 character: so short a text fits one chunk.
    if (state.rules().length() <= chunkBytes / 3 || !RuleChunks.needsChunks(utf8(state).size(), chunkBytes)) {
      return BundleTransfer.single(sign(state));
    }
    return BundleTransfer.chunked(signed(state, 0, ""), utf8(state), chunkBytes);
  }

  /**
   * {@code state} as {@code delta} from {@code baseGeneration}, signed now; a large delta goes in
   * chunks, its own digest signed so that the agent checks the joined bytes before parsing them.
   */
  BundleTransfer deltaTransfer(
      DesiredState state, long baseGeneration, io.bulwark.proto.agent.v1.RuleDelta delta) {
    if (!RuleChunks.needsChunks(delta.getSerializedSize(), chunkBytes)) {
      return BundleTransfer.single(signDelta(state, baseGeneration, delta));
    }
    ByteString bytes = delta.toByteString();
    return BundleTransfer.chunked(signed(state, baseGeneration, sha256Hex(bytes)), bytes, chunkBytes);
  }

  /**
   * The wire form of {@code state}, signed now. The rules go in as the UTF-8 bytes kept per digest,
   * so that sending one rule set to thousands of devices encodes it once, not once per device; and
   * in their field's place, as {@link #signDelta} does with deltas, so that neither are they checked
   * to be UTF-8 once per device (they were made from a String). Read back here, without going over
   * the wire, the message has them only among its unknown fields.
   */
  public io.bulwark.proto.agent.v1.DesiredState sign(DesiredState state) {
    return io.bulwark.proto.agent.v1.DesiredState.newBuilder(signed(state, 0, ""))
        .setUnknownFields(inFieldPlace(io.bulwark.proto.agent.v1.DesiredState.RULES_FIELD_NUMBER, utf8(state)))
        .build();
  }

  /**
   * The wire form of {@code state} as {@code delta} from {@code baseGeneration}, signed now; the
   * digest signed is still that of the full rules, which the agent checks after rebuilding them.
   * The delta goes in encoded, in its field's place: on the wire an embedded message is a
   * length-delimited field, so agents read it as the {@code delta} field, while the encoding is
   * made once for all devices. Read back here, the message has it only among its unknown fields.
   */
  public io.bulwark.proto.agent.v1.DesiredState signDelta(
      DesiredState state, long baseGeneration, io.bulwark.proto.agent.v1.RuleDelta delta) {
    return io.bulwark.proto.agent.v1.DesiredState.newBuilder(signed(state, baseGeneration, ""))
        .setUnknownFields(inFieldPlace(io.bulwark.proto.agent.v1.DesiredState.DELTA_FIELD_NUMBER, encoded(delta)))
        .build();
  }

  /** {@code bytes} as the length-delimited field {@code field}, as a parser reads it. */
  private static UnknownFieldSet inFieldPlace(int field, ByteString bytes) {
    return UnknownFieldSet.newBuilder()
        .addField(field, UnknownFieldSet.Field.newBuilder().addLengthDelimited(bytes).build())
        .build();
  }

  private ByteString encoded(io.bulwark.proto.agent.v1.RuleDelta delta) {
    synchronized (encodedDeltas) {
      return encodedDeltas.computeIfAbsent(delta, io.bulwark.proto.agent.v1.RuleDelta::toByteString);
    }
  }

  private io.bulwark.proto.agent.v1.DesiredState signed(
      DesiredState state, long baseGeneration, String payloadDigest) {
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
            .setPayloadDigest(payloadDigest)
            .setBlockDigest(baseGeneration == 0 ? "" : blockDigest(state))
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

  /**
   * The digest of {@code state}'s rules in blocks, found once per rule set that deltas lead to: the
   * first stream to need it cuts the rules (tens of milliseconds for a million lines, not under the
   * map's lock), the others wait for it. Empty, so that agents check the SHA-256, for rules that
   * cannot be cut.
   */
  private String blockDigest(DesiredState state) {
    CompletableFuture<String> mine = null;
    CompletableFuture<String> found;
    synchronized (blockDigests) {
      found = blockDigests.get(state.digest());
      if (found == null) {
        mine = new CompletableFuture<>();
        blockDigests.put(state.digest(), mine);
        found = mine;
      }
    }
    if (mine != null) {
      try {
        mine.complete(LineBlocks.digestHex(state.rules()));
      } catch (RuntimeException e) {
        log.warn("rule set {} is signed without a block digest: {}", state.digest(), e.toString());
        mine.complete("");
      }
    }
    return found.join();
  }

  private ByteString utf8(DesiredState state) {
    synchronized (payloads) {
      return payloads.computeIfAbsent(state.digest(), d -> ByteString.copyFromUtf8(state.rules()));
    }
  }

  private static String sha256Hex(ByteString bytes) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(bytes.asReadOnlyByteBuffer());
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
