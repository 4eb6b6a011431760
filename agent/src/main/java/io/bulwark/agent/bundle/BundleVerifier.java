package io.bulwark.agent.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.bulwark.agent.apply.LineChange;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Decides whether a bundle really comes from this agent's controller and may be applied here.
 *
 * <p>In order, stopping at the first failure: the Ed25519 signature over the exact header bytes
 * received, with the key pinned at enrollment (nothing is parsed before it verifies); the header
 * parses; it names this device; it has not expired; its generation is not below the high-water
 * mark (no rollback); the unsigned copy of the generation agrees with it; a delta applies to the
 * rules of its signed base generation, which must be the one applied; and the SHA-256 of the full
 * rules (as received, or rebuilt from the delta) equals its digest. A delta whose header also
 * signs a block digest ({@link LineBlocks}) is checked by that instead, from the blocks kept with
 * its base: only the blocks it touches are hashed ({@link DeltaCheck}). Thread-safe.
 */
public final class BundleVerifier {

  /** The outcome. */
  public sealed interface Result {}

  /**
   * Signed by the controller for this device; {@code header} is what it signed, {@code text} the
   * full rule set it names (checked by their SHA-256, or by the block digest signed with it), with
   * their line starts, as {@link RuleTexts} keeps them. A large rule set checked by blocks may
   * still be being made from its delta ({@link DeltaCheck}).
   *
   * @param change for rules rebuilt from a delta, the edits and the rules they started from; null
   *     for full rules and for a delta to the rules applied already
   */
  public record Verified(SignedHeader header, LineChange change, CompletableFuture<LineText> text)
      implements Result {

    /** The rules; see {@link #lines}. */
    public String rules() {
      return lines().text();
    }

    /**
     * The rules with their line starts, waiting while they are made.
     *
     * @throws IllegalStateException when they could not be made
     */
    public LineText lines() {
      try {
        return text.join();
      } catch (CompletionException | CancellationException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalStateException("the rules could not be rebuilt from the delta: " + cause, e);
      }
    }

    /** Whether the rules could not be made; false while they are being made. */
    public boolean unmade() {
      return text.isCompletedExceptionally();
    }
  }

  /** Not to be applied; the reason is sent to the controller. */
  public record Rejected(String reason) implements Result {}

  /**
   * The header of a bundle whose rules are still to come, signed for this device and not expired.
   *
   * @param payloadDigest the signed hex SHA-256 of a chunked delta's bytes; empty otherwise
   */
  public record Authentic(SignedHeader header, String payloadDigest) implements Result {}

  private final String device;
  /**
   * The pinned key, decoded and checked once. Verified with Bouncy Castle's Ed25519 (RFC 8032):
   * about eight times faster here than the JDK's, accepting no signature the JDK would refuse.
   */
  private final Ed25519.PublicPoint key;
  private final Clock clock;
  private final RuleTexts texts;

  /**
   * @throws IllegalArgumentException when {@code key} is not an Ed25519 public key, or not a valid
   *     point of the curve
   */
  public BundleVerifier(String device, PublicKey key, Clock clock) {
    this(device, key, clock, RuleTexts.OWN);
  }

  /** As above, keeping verified rules where {@code texts} says. */
  public BundleVerifier(String device, PublicKey key, Clock clock, RuleTexts texts) {
    this.device = Objects.requireNonNull(device, "device");
    this.key = SigningKeyPin.point(Objects.requireNonNull(key, "key"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.texts = Objects.requireNonNull(texts, "texts");
  }

  /** Verifies a full-rules {@code bundle} against the highest generation accepted so far. */
  public Result verify(RuleBundle bundle, long highWater) {
    return verify(bundle, highWater, base -> Optional.empty());
  }

  /**
   * Verifies {@code bundle} against the highest generation accepted so far.
   *
   * @param baseRules the verified rules of a generation if it is the one applied, for deltas
   */
  public Result verify(RuleBundle bundle, long highWater, LongFunction<Optional<String>> baseRules) {
    return verify(bundle, highWater, baseRules, 0, "");
  }

  /**
   * As {@link #verify(RuleBundle, long, LongFunction)}, knowing what is applied: a delta whose
   * result is the applied rule set is verified as those rules, whatever its base.
   */
  public Result verify(
      RuleBundle bundle,
      long highWater,
      LongFunction<Optional<String>> baseRules,
      long appliedGeneration,
      String appliedDigest) {
    return verify(bundle, highWater, baseRules, appliedGeneration, appliedDigest, LineText::of, header -> { });
  }

  /** As below, telling no one of the header meanwhile. */
  public Result verify(RuleBundle bundle, long highWater, LongFunction<Optional<String>> baseRules,
      long appliedGeneration, String appliedDigest, Function<String, LineText> lines) {
    return verify(bundle, highWater, baseRules, appliedGeneration, appliedDigest, lines, header -> { });
  }

  /**
   * As {@link #verify(RuleBundle, long, LongFunction, long, String)}, with {@code lines} giving
   * the base rules of a delta with their line starts, which the caller may have kept. {@code
   * meanwhile} is told the header once it passed every check that needs no rules, when a delta to
   * a large rule set (1 MiB or more) is about to be checked, which takes some milliseconds: the
   * caller may start, on another thread, what does not depend on the delta's rules. The result may
   * still be {@link Rejected}. It runs on the calling thread; what it throws escapes this method.
   */
  public Result verify(
      RuleBundle bundle,
      long highWater,
      LongFunction<Optional<String>> baseRules,
      long appliedGeneration,
      String appliedDigest,
      Function<String, LineText> lines,
      Consumer<SignedHeader> meanwhile) {
    if (!signatureVerifies(bundle.signedHeader(), bundle.signature())) {
      return new Rejected("bad signature: the bundle is not signed by the pinned controller key");
    }
    SignedHeader header;
    try {
      header = parse(bundle.signedHeader());
    } catch (InvalidProtocolBufferException e) {
      return new Rejected("the signed header is malformed: " + e.getMessage());
    }
    Optional<Rejected> misdirected = misdirectedOrExpired(header);
    if (misdirected.isPresent()) {
      return misdirected.get();
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
    if ((header.baseGeneration() != 0) != (bundle.delta() != null)) {
      return new Rejected(
          header.baseGeneration() != 0
              ? "the header signs a delta but the bundle carries full rules"
              : "the bundle carries a delta but the header signs full rules");
    }
    if (bundle.delta() != null && header.generation() == appliedGeneration && header.digest().equals(appliedDigest)) {
      // A delta to what is applied already (sent again after a reconnect): its rules are known.
      Optional<String> applied = baseRules.apply(appliedGeneration);
      if (applied.isPresent()) {
        return new Verified(header, null, CompletableFuture.completedFuture(known(applied.get(), lines)));
      }
    }
    if (bundle.delta() != null) {
      Optional<String> base = baseRules.apply(header.baseGeneration());
      if (base.isEmpty()) {
        return new Rejected(
            "delta from generation "
                + Long.toUnsignedString(header.baseGeneration())
                + ", which is not the generation applied here; a full rule set is needed");
      }
      if (base.get().length() >= DeltaCheck.HASH_ALONGSIDE_CHARS) {
        meanwhile.accept(header);
      }
      return DeltaCheck.check(header, base.get(), known(base.get(), lines), bundle.delta(), texts);
    }
    Optional<LineText> same =
        texts.verified(header.digest()).filter(kept -> kept.text().equals(bundle.rules()));
    if (same.isPresent()) {
      DeltaCheck.cutLaterIfLarge(same.get());
      return new Verified(header, null, CompletableFuture.completedFuture(same.get()));
    }
    if (!BundleCheck.sha256Hex(bundle.rules()).equals(header.digest())) {
      return new Rejected("digest mismatch: the rules do not hash to the signed digest");
    }
    LineText kept = texts.share(header.digest(), LineText.of(bundle.rules()));
    DeltaCheck.cutLaterIfLarge(kept);
    return new Verified(header, null, CompletableFuture.completedFuture(kept));
  }

  /** {@code rules} with the line starts {@code lines} kept for them, used only with that very text. */
  private static LineText known(String rules, Function<String, LineText> lines) {
    LineText given = lines.apply(rules);
    return given != null && given.text() == rules ? given : LineText.of(rules);
  }

  /**
   * The first checks of {@link #verify}, for a bundle whose rules arrive later in chunks: the
   * signature over the exact header bytes (nothing is parsed before it verifies), then the
   * header parses, names this device and has not expired. The full check runs once the rules
   * are joined.
   */
  public Result authenticate(byte[] signedHeader, byte[] signature) {
    if (!signatureVerifies(signedHeader, signature)) {
      return new Rejected("bad signature: the bundle is not signed by the pinned controller key");
    }
    BundleHeader parsed;
    try {
      parsed = BundleHeader.parseFrom(signedHeader);
    } catch (InvalidProtocolBufferException e) {
      return new Rejected("the signed header is malformed: " + e.getMessage());
    }
    SignedHeader header = header(parsed);
    Optional<Rejected> misdirected = misdirectedOrExpired(header);
    if (misdirected.isPresent()) {
      return misdirected.get();
    }
    return new Authentic(header, parsed.getPayloadDigest().toLowerCase(Locale.ROOT));
  }

  /** Refuses a header addressed to another device or past its expiry. */
  private Optional<Rejected> misdirectedOrExpired(SignedHeader header) {
    if (!header.device().equals(device)) {
      return Optional.of(new Rejected(
          "the bundle is for device '" + header.device() + "', this agent is '" + device + "'"));
    }
    Instant now = clock.instant();
    if (!now.isBefore(header.expiresAt())) {
      return Optional.of(
          new Rejected("the bundle expired at " + header.expiresAt() + " (now " + now + ")"));
    }
    return Optional.empty();
  }

  private boolean signatureVerifies(byte[] header, byte[] signature) {
    if (header.length == 0 || signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, key, header, 0, header.length);
  }

  private static SignedHeader parse(byte[] bytes) throws InvalidProtocolBufferException {
    return header(BundleHeader.parseFrom(bytes));
  }

  private static SignedHeader header(BundleHeader header) {
    return new SignedHeader(
        header.getDevice(),
        header.getGeneration(),
        header.getDigest().toLowerCase(Locale.ROOT),
        header.getBaseGeneration(),
        Instant.ofEpochMilli(header.getIssuedAtMillis()),
        Instant.ofEpochMilli(header.getExpiresAtMillis()),
        header.getTarget(),
        header.getBlockDigest().toLowerCase(Locale.ROOT));
  }
}
