package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.LineChange;
import io.bulwark.delta.DeltaWalk;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last check of {@link BundleVerifier} for a delta whose signature, header and base already
 * passed: the rules it makes of its base must be the signed ones.
 *
 * <p>By the block digest when the header signs one and the edits are few for the rules' size
 * ({@link #sparse}), else by SHA-256. A large result is checked from the same pieces on another
 * thread while it is made. When its base's blocks are known, a large result is checked by blocks
 * first and made afterwards on another thread: an applier that can apply the edits alone
 * starts meanwhile, and the rules are waited for only when it needs them. A block digest that
 * does not match falls back to the SHA-256. What an equal delta made of the same base object before
 * ({@link RuleTexts#rebuiltBefore}, for the simulator's agents) is taken as it is. Thread-safe.
 */
final class DeltaCheck {

  /**
   * Rule sets rebuilt from a base at least this long (about 60,000 nftables elements) are hashed
   * while they are made, or, when checked by blocks, made after the check while they are applied:
   * for a million elements that takes most of the hash's 20 ms, or the rebuild's 10 ms, off an
   * apply's path.
   */
  static final int HASH_ALONGSIDE_CHARS = 1 << 20;

  /**
   * Threads that hash and make rebuilt rule sets, at most one per core (idle ones end after a
   * minute); when all are busy, the verifying thread does it itself.
   */
  private static final ThreadPoolExecutor HASHERS = new ThreadPoolExecutor(0,
      Runtime.getRuntime().availableProcessors(), 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "bulwark-rules-hash");
        t.setDaemon(true);
        return t;
      });

  private static final Logger log = LoggerFactory.getLogger(DeltaCheck.class);

  /** Rule sets whose digest was found while they were rebuilt (for tests). */
  static final AtomicLong HASHED_ALONGSIDE = new AtomicLong();

  /** Rebuilt rule sets checked by their blocks (for tests). */
  static final AtomicLong BY_BLOCKS = new AtomicLong();

  /** Deltas whose rules were known from an equal delta to the same base (for tests). */
  static final AtomicLong REBUILT_BEFORE = new AtomicLong();

  /** Rule sets made on another thread after their blocks matched (for tests). */
  static final AtomicLong MADE_AFTER = new AtomicLong();

  private DeltaCheck() {}

  /**
   * Checks what {@code delta} makes of {@code base} against {@code header}'s digests.
   *
   * @param baseLines {@code base} with its line starts
   * @param texts where the verified rules are kept
   */
  static BundleVerifier.Result check(
      SignedHeader header, String base, LineText baseLines, RuleDelta delta, RuleTexts texts) {
    Optional<RuleTexts.Rebuilt> before = texts.rebuiltBefore(base, delta);
    if (before.isPresent() && before.get().digest().equals(header.digest())) {
      REBUILT_BEFORE.incrementAndGet();
      cutLaterIfLarge(before.get().lines());
      return new BundleVerifier.Verified(header, new LineChange(base, before.get().edits()),
          CompletableFuture.completedFuture(before.get().lines()));
    }
    boolean large = baseLines.text().length() >= HASH_ALONGSIDE_CHARS;
    // By blocks when signed and the edits are few for the rules' size. A small base not cut yet
    // is cut here (cheap, and the result keeps its blocks for the next delta); a large one is
    // not: hashing the result costs less than cutting the base first, and it is cut after.
    boolean byBlocks = !header.blockDigest().isEmpty()
        && sparse(delta, baseLines.lineCount())
        && (baseLines.hasBlocks() || !large);
    boolean blocksDiffer = false;
    if (byBlocks && large) {
      Found found = found(baseLines, delta, true);
      if (found != null && found.digest().equals(header.blockDigest())) {
        try {
          LineChange change = new LineChange(base, DeltaWalk.edits(baseLines, delta));
          CompletableFuture<LineText> made = makeLater(header, baseLines, delta, found.blocks(), texts);
          made.thenAccept(lines ->
              texts.keepRebuilt(base, delta, new RuleTexts.Rebuilt(header.digest(), lines, change.edits())));
          return new BundleVerifier.Verified(header, change, made);
        } catch (LineDelta.MismatchException e) {
          // Cannot be once the blocks were found from the same walk; the rebuild below decides.
        }
      }
      blocksDiffer = found != null;
      byBlocks = false;
    }
    // A large result is checked from the same pieces while it is made, on another thread.
    CompletableFuture<Found> alongside = null;
    if (large) {
      boolean blocks = byBlocks;
      try {
        alongside = CompletableFuture.supplyAsync(() -> found(baseLines, delta, blocks), HASHERS);
      } catch (RejectedExecutionException e) {
        alongside = null; // every hasher is busy: checked below, after rebuilding
      }
    }
    LineDelta.Applied applied;
    try {
      applied = LineDelta.applyKeepingEdits(baseLines, delta);
    } catch (LineDelta.MismatchException e) {
      return new BundleVerifier.Rejected("the delta does not fit the applied rules: " + e.getMessage());
    }
    Found found = alongside == null ? null : foundAlongside(alongside);
    if (found == null && byBlocks) {
      found = found(baseLines, delta, true);
    }
    boolean matched = false;
    String digest = null;
    if (found != null && found.blocks() != null) {
      if (found.digest().equals(header.blockDigest())) {
        // Signed with the digest, the block digest names the same rules.
        applied.keep(found.blocks());
        matched = true;
      } else {
        blocksDiffer = true; // the SHA-256 below decides
      }
    } else if (found != null) {
      digest = found.digest();
    }
    if (!matched && !(digest != null ? digest : BundleCheck.sha256Hex(applied.text())).equals(header.digest())) {
      return new BundleVerifier.Rejected(
          "digest mismatch: the rules rebuilt from the delta do not hash to the signed digest");
    }
    if (blocksDiffer) {
      // The rules are the signed ones, so the controller cuts blocks otherwise than this agent.
      log.warn("generation {}: the rules rebuilt from the delta hash to the signed digest but not to the signed"
          + " block digest; the controller cuts blocks otherwise", Long.toUnsignedString(header.generation()));
    }
    LineText kept = texts.share(header.digest(), applied.lines());
    texts.keepRebuilt(base, delta, new RuleTexts.Rebuilt(header.digest(), kept, applied.edits()));
    cutLaterIfLarge(kept);
    return new BundleVerifier.Verified(
        header, new LineChange(base, applied.edits()), CompletableFuture.completedFuture(kept));
  }

  /**
   * Whether checking by blocks costs less than hashing the whole result: each edit hashes about two
   * blocks of lines again, plus the lines it inserts, and cutting a line costs about twice hashing
   * it; hashing goes over every line.
   */
  static boolean sparse(RuleDelta delta, int baseLines) {
    long lines = 0;
    for (LineEdit edit : delta.getEditsList()) {
      lines += 2L * LineBlocks.AVERAGE_LINES + edit.getInsertCount();
    }
    return 2 * lines < baseLines;
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
   * The rules {@code delta} makes of {@code base}, whose blocks matched the signed block digest,
   * made on a hashing thread if one is free (else here), kept with those blocks.
   */
  private static CompletableFuture<LineText> makeLater(
      SignedHeader header, LineText base, RuleDelta delta, LineBlocks blocks, RuleTexts texts) {
    Supplier<LineText> make = () -> {
      LineDelta.Applied applied;
      try {
        applied = LineDelta.applyKeepingEdits(base, delta);
      } catch (LineDelta.MismatchException e) {
        throw new IllegalStateException("the delta fitted its base when cut into blocks but not when applied", e);
      }
      applied.keep(blocks);
      MADE_AFTER.incrementAndGet();
      return texts.share(header.digest(), applied.lines());
    };
    try {
      return CompletableFuture.supplyAsync(make, HASHERS);
    } catch (RejectedExecutionException e) {
      try {
        return CompletableFuture.completedFuture(make.get());
      } catch (RuntimeException failed) {
        return CompletableFuture.failedFuture(failed);
      }
    }
  }

  /** A rebuilt rule set's digest found from its base and delta: of its blocks, or its SHA-256. */
  private record Found(String digest, LineBlocks blocks) {}

  /**
   * The hex digest of what {@code delta} makes of {@code base}: by blocks ({@link LineBlocks#after})
   * or by SHA-256 ({@link DeltaWalk#sha256}); null when the delta does not fit (the rebuild refuses
   * it too).
   */
  private static Found found(LineText base, RuleDelta delta, boolean byBlocks) {
    try {
      if (byBlocks) {
        LineBlocks blocks = LineBlocks.after(base, delta);
        BY_BLOCKS.incrementAndGet();
        return new Found(blocks.digestHex(), blocks);
      }
      return new Found(HexFormat.of().formatHex(DeltaWalk.sha256(base, delta)), null);
    } catch (LineDelta.MismatchException | IllegalArgumentException e) {
      return null; // the rebuild refuses what does not fit; the rules are then hashed whole
    }
  }

  /** What was found alongside; null (the caller checks the rules itself) if nothing was. */
  private static Found foundAlongside(CompletableFuture<Found> alongside) {
    Found found;
    try {
      found = alongside.join();
    } catch (CompletionException e) {
      return null;
    }
    if (found != null) {
      HASHED_ALONGSIDE.incrementAndGet();
    }
    return found;
  }
}
