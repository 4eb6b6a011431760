package io.bulwark.agent.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.bulwark.agent.apply.LineChange;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.BundleHeader;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * its base: only the blocks it touches are hashed. Thread-safe.
 */
public final class BundleVerifier {

  /** The outcome. */
  public sealed interface Result {}

  /**
   * Signed by the controller for this device; {@code header} is what it signed, {@code rules} the
   * full rule set it names (checked by their SHA-256, or by the block digest signed with it).
   *
   * @param change for rules rebuilt from a delta, the edits and the rules they started from; null
   *     for full rules
   * @param lines the rules with their line starts (found when first needed for full rules), as
   *     {@link RuleTexts} keeps them; null for a delta to the rules applied already
   */
  public record Verified(SignedHeader header, String rules, LineChange change, LineText lines)
      implements Result {}

  /** Not to be applied; the reason is sent to the controller. */
  public record Rejected(String reason) implements Result {}

  /**
   * The header of a bundle whose rules are still to come, signed for this device and not expired.
   *
   * @param payloadDigest the signed hex SHA-256 of a chunked delta's bytes; empty otherwise
   */
  public record Authentic(SignedHeader header, String payloadDigest) implements Result {}

  /**
   * Rule sets rebuilt from a base at least this long (about 60,000 nftables elements) are hashed
   * while they are made: for a million elements that takes most of the hash's 20 ms off an apply's
   * path.
   */
  static final int HASH_ALONGSIDE_CHARS = 1 << 20;

  /**
   * Threads that hash rebuilt rule sets, at most one per core (idle ones end after a minute); when
   * all are busy, the verifying thread hashes itself, after rebuilding.
   */
  private static final ThreadPoolExecutor HASHERS = new ThreadPoolExecutor(0,
      Runtime.getRuntime().availableProcessors(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "bulwark-rules-hash");
        t.setDaemon(true);
        return t;
      });

  private static final Logger log = LoggerFactory.getLogger(BundleVerifier.class);

  /** Rule sets whose digest was found while they were rebuilt (for tests). */
  static final AtomicLong HASHED_ALONGSIDE = new AtomicLong();

  /** Rebuilt rule sets checked by their blocks (for tests). */
  static final AtomicLong BY_BLOCKS = new AtomicLong();

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
    return verify(bundle, highWater, baseRules, appliedGeneration, appliedDigest, LineText::of);
  }

  /**
   * As {@link #verify(RuleBundle, long, LongFunction, long, String)}, with {@code lines} giving
   * the base rules of a delta with their line starts, which the caller may have kept.
   */
  public Result verify(
      RuleBundle bundle,
      long highWater,
      LongFunction<Optional<String>> baseRules,
      long appliedGeneration,
      String appliedDigest,
      Function<String, LineText> lines) {
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
    String rules = bundle.rules();
    LineChange change = null;
    LineText rebuilt = null;
    // The rules' SHA-256 if found already; not needed once their signed block digest matched.
    String digest = null;
    boolean matchedBlocks = false;
    boolean blocksDiffer = false;
    if (bundle.delta() != null && header.generation() == appliedGeneration && header.digest().equals(appliedDigest)) {
      // A delta to what is applied already (sent again after a reconnect): its rules are known.
      Optional<String> applied = baseRules.apply(appliedGeneration);
      if (applied.isPresent()) {
        return new Verified(header, applied.get(), null, null);
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
      // Line starts are used only with the very text they were found in.
      LineText given = lines.apply(base.get());
      LineText baseLines = given != null && given.text() == base.get() ? given : LineText.of(base.get());
      // By blocks when signed and the edits are few for the rules' size. A small base not cut yet
      // is cut here (cheap, and the result keeps its blocks for the next delta); a large one is
      // not: hashing the result costs less than cutting the base first, and it is cut after.
      boolean byBlocks = !header.blockDigest().isEmpty()
          && sparse(bundle.delta(), baseLines.lineCount())
          && (baseLines.hasBlocks() || baseLines.text().length() < HASH_ALONGSIDE_CHARS);
      // A large result is checked from the same pieces while it is made, on another thread.
      CompletableFuture<Found> alongside = null;
      if (baseLines.text().length() >= HASH_ALONGSIDE_CHARS) {
        try {
          alongside = CompletableFuture.supplyAsync(() -> found(baseLines, bundle.delta(), byBlocks), HASHERS);
        } catch (RejectedExecutionException e) {
          alongside = null; // every hasher is busy: checked below, after rebuilding
        }
      }
      LineDelta.Applied applied;
      try {
        applied = LineDelta.applyKeepingEdits(baseLines, bundle.delta());
      } catch (LineDelta.MismatchException e) {
        return new Rejected("the delta does not fit the applied rules: " + e.getMessage());
      }
      rules = applied.text();
      rebuilt = applied.lines();
      change = new LineChange(base.get(), applied.edits());
      Found found = alongside == null ? null : foundAlongside(alongside);
      if (found == null && byBlocks) {
        found = found(baseLines, bundle.delta(), true);
      }
      if (found != null && found.blocks() != null) {
        if (found.digest().equals(header.blockDigest())) {
          // Signed with the digest, the block digest names the same rules.
          applied.keep(found.blocks());
          matchedBlocks = true;
        } else {
          blocksDiffer = true; // the SHA-256 below decides
        }
      } else if (found != null) {
        digest = found.digest();
      }
    }
    if (!matchedBlocks && !(digest != null ? digest : BundleCheck.sha256Hex(rules)).equals(header.digest())) {
      return new Rejected(
          bundle.delta() != null
              ? "digest mismatch: the rules rebuilt from the delta do not hash to the signed digest"
              : "digest mismatch: the rules do not hash to the signed digest");
    }
    if (blocksDiffer) {
      // The rules are the signed ones, so the controller cuts blocks otherwise than this agent.
      log.warn("generation {}: the rules rebuilt from the delta hash to the signed digest but not to the signed"
          + " block digest; the controller cuts blocks otherwise", Long.toUnsignedString(header.generation()));
    }
    LineText kept = texts.share(header.digest(), rebuilt != null ? rebuilt : LineText.of(rules));
    cutLaterIfLarge(kept);
    return new Verified(header, kept.text(), change, kept);
  }

  /**
   * Whether checking by blocks costs less than hashing the whole result: each edit hashes about two
   * blocks of lines again, plus the lines it inserts, and cutting a line costs about twice hashing
   * it; hashing goes over every line.
   */
  static boolean sparse(io.bulwark.proto.agent.v1.RuleDelta delta, int baseLines) {
    long lines = 0;
    for (io.bulwark.proto.agent.v1.LineEdit edit : delta.getEditsList()) {
      lines += 2L * LineBlocks.AVERAGE_LINES + edit.getInsertCount();
    }
    return 2 * lines < baseLines;
  }

  /** A rebuilt rule set's digest found from its base and delta: of its blocks, or its SHA-256. */
  private record Found(String digest, LineBlocks blocks) {}

  /**
   * The hex digest of what {@code delta} makes of {@code base}: by blocks ({@link LineBlocks#after})
   * or by SHA-256 ({@link LineDelta#sha256}); null when the delta does not fit (the rebuild refuses
   * it too).
   */
  private static Found found(LineText base, io.bulwark.proto.agent.v1.RuleDelta delta, boolean byBlocks) {
    try {
      if (byBlocks) {
        LineBlocks blocks = LineBlocks.after(base, delta);
        BY_BLOCKS.incrementAndGet();
        return new Found(blocks.digestHex(), blocks);
      }
      return new Found(HexFormat.of().formatHex(LineDelta.sha256(base, delta)), null);
    } catch (LineDelta.MismatchException | IllegalArgumentException e) {
      return null; // the rebuild refuses what does not fit; the rules are then hashed whole
    }
  }

  /** What was found alongside; null (the caller checks the rules itself) if nothing was. */
  private static Found foundAlongside(CompletableFuture<Found> alongside) {
    Found found;
    try {
      found = alongside.join();
    } catch (java.util.concurrent.CompletionException e) {
      return null;
    }
    if (found != null) {
      HASHED_ALONGSIDE.incrementAndGet();
    }
    return found;
  }

  /**
   * Cuts {@code rules} into blocks on a hashing thread if one is free, when they are large and not
   * cut yet: so that the next delta to them is checked by blocks.
   */
  static void cutLaterIfLarge(LineText rules) {
    if (rules.hasBlocks() || rules.text().length() < HASH_ALONGSIDE_CHARS) {
      return;
    }
    try {
      HASHERS.execute(rules::blocks);
    } catch (RejectedExecutionException e) {
      // Every hasher is busy: the next delta is checked by SHA-256 and cuts again.
    }
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
