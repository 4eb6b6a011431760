package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.LiveState;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether the live rules are still the ones applied, and reports when they are not.
 *
 * <p>The rules last applied and confirmed are kept in {@code applied.rules} and the journal beside
 * it ({@link AppliedRulesFile}); each {@link #run}
 * asks the applier to compare the host with them ({@link Applier#inspect}). A difference is
 * reported once as DRIFTED with a summary (again only if the summary changes); with the {@link
 * Policy#CORRECT} policy the applied rules are then put back and APPLIED is reported. When the
 * rules are back in sync after a drift, APPLIED is reported. Runs on the apply thread only, so it
 * never races an apply; not thread-safe, except {@link #filesHolding}, which reads only what
 * {@link #remember} published.
 */
public final class DriftCheck {

  /** What to do about drift. */
  public enum Policy {
    /** Report it only. */
    REPORT,
    /** Report it, then re-apply the rules that were applied. */
    CORRECT;

    /** {@code report} or {@code correct}. */
    public static Optional<Policy> parse(String text) {
      for (Policy policy : values()) {
        if (policy.name().toLowerCase(Locale.ROOT).equals(text)) {
          return Optional.of(policy);
        }
      }
      return Optional.empty();
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DriftCheck.class);

  private final Applier applier;
  private final AppliedRulesFile rulesFile;
  private final Policy policy;
  private final Clock clock;
  private String lastReported;
  /**
   * The rules last remembered, with their line starts, so that a delta need not read and hash the
   * file again nor walk the text; soft, so that a large rule set never costs the heap more than it
   * can spare.
   */
  private volatile java.lang.ref.SoftReference<LineText> remembered;
  private volatile String rememberedDigest;

  public DriftCheck(Applier applier, Path rulesFile, Policy policy, Clock clock) {
    this.applier = applier;
    this.rulesFile = new AppliedRulesFile(rulesFile);
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * The files holding {@code rules} when they are the very rules last remembered (the same object,
   * so no comparison is needed) for the applied digest {@code digest}; they are only ever replaced
   * whole or appended to ({@link AppliedRulesFile}).
   */
  public Optional<List<Path>> filesHolding(String rules, String digest) {
    return rememberedText() == rules && digest.equals(rememberedDigest)
        ? Optional.of(rulesFile.files()) : Optional.empty();
  }

  /** The rules last remembered, unless the heap needed their room. */
  private String rememberedText() {
    var reference = remembered;
    LineText known = reference == null ? null : reference.get();
    return known == null ? null : known.text();
  }

  /** Keeps {@code rules} as the ones to compare with from now on. */
  public void remember(String rules) throws IOException {
    remember(rules, BundleCheck.sha256Hex(rules));
  }

  /** {@link #remember(String)} when the digest of {@code rules} is known already. */
  public void remember(String rules, String digest) throws IOException {
    remember(rules, digest, null, null, null);
  }

  /**
   * {@link #remember(String, String)} for rules that {@code delta} made of {@code base} (with
   * digest {@code baseDigest}): when {@code base} is the very rules last remembered, only the delta
   * is written. Any argument after {@code digest} may be null, and then the rules are written whole.
   */
  public void remember(String rules, String digest, RuleDelta delta, String base, String baseDigest)
      throws IOException {
    remember(rules, digest, delta, base, baseDigest, null);
  }

  /**
   * {@link #remember(String, String, RuleDelta, String, String)} with the line starts of {@code
   * rules} ({@code lines}, may be null), so that the next delta need not find them ({@link #lines}).
   */
  public void remember(
      String rules, String digest, RuleDelta delta, String base, String baseDigest, LineText lines)
      throws IOException {
    boolean follows =
        delta != null
            && base != null
            && rememberedText() == base
            && rememberedDigest.equals(baseDigest)
            && rulesFile.canAppend(delta);
    remembered = null;
    if (follows) {
      rulesFile.append(baseDigest, delta, digest);
    } else {
      rulesFile.replace(rules);
    }
    rememberedDigest = digest;
    LineText kept = lines != null && lines.text() == rules ? lines : LineText.of(rules);
    remembered = new java.lang.ref.SoftReference<>(kept);
    lastReported = null;
  }

  /**
   * {@code rules} with the starts of their lines: the ones kept with them if they are the very
   * rules last remembered, else to be found by a walk.
   */
  public LineText lines(String rules) {
    var reference = remembered;
    LineText known = reference == null ? null : reference.get();
    return known != null && known.text() == rules ? known : LineText.of(rules);
  }

  /**
   * Compares the host with what {@code applied} says is in place, reporting to {@code sink}.
   *
   * @param reportAgain report the current state even if it was reported already (after a
   *     reconnect, when the Hello and the outbox replay have reset the controller's view)
   */
  public void run(AppliedState applied, StatusSink sink, boolean reportAgain) {
    if (reportAgain) {
      lastReported = null;
    }
    Optional<String> rules = appliedRules(applied);
    if (rules.isEmpty()) {
      return;
    }
    LiveState live = applier.inspect(rules.get());
    if (live instanceof LiveState.Unknown unknown) {
      log.warn("cannot check generation {} for drift: {}", applied.generation(), unknown.reason());
    } else if (live instanceof LiveState.Drifted drifted) {
      drifted(applied, rules.get(), drifted.difference(), sink);
    } else if (lastReported != null || reportAgain) {
      // After a reconnect the outbox may have replayed an old drift: say what is true now.
      log.info("the live rules match generation {}", applied.generation());
      lastReported = null;
      sink.report(report(applied, ApplyReport.Phase.APPLIED, ""));
    }
  }

  private void drifted(AppliedState applied, String rules, String difference, StatusSink sink) {
    if (policy == Policy.REPORT) {
      if (!difference.equals(lastReported)) {
        log.warn("the live rules drifted from generation {}: {}", applied.generation(), difference);
        lastReported = difference;
        sink.report(report(applied, ApplyReport.Phase.DRIFTED, difference));
      }
      return;
    }
    ApplyOutcome outcome = applier.apply(rules);
    if (outcome instanceof ApplyOutcome.Failed failed) {
      String error = difference + "; re-applying failed: " + ApplyReport.trim(failed.error());
      log.error("the live rules drifted from generation {}: {}", applied.generation(), error);
      lastReported = difference;
      sink.report(report(applied, ApplyReport.Phase.DRIFTED, error));
      return;
    }
    log.warn(
        "the live rules drifted from generation {} and were corrected: {}",
        applied.generation(),
        difference);
    lastReported = null;
    sink.report(report(applied, ApplyReport.Phase.DRIFTED, difference + "; corrected"));
    sink.report(report(applied, ApplyReport.Phase.APPLIED, ""));
  }

  /** The rules of {@code applied} as kept on disk, if they are there and hash to its digest. */
  public Optional<String> appliedRules(AppliedState applied) {
    if (applied.generation() == 0) {
      return Optional.empty();
    }
    String known = rememberedText();
    if (known != null && applied.digest().equals(rememberedDigest)) {
      return Optional.of(known);
    }
    try {
      // A copy of another generation (a crash between the two writes) is no reference.
      Optional<LineText> rules = rulesFile.readLines(applied.digest());
      if (rules.isPresent()) {
        rememberedDigest = applied.digest();
        remembered = new java.lang.ref.SoftReference<>(rules.get());
      }
      return rules.map(LineText::text);
    } catch (IOException e) {
      log.warn("cannot read the applied rules: {}", e.toString());
      return Optional.empty();
    }
  }

  private ApplyReport report(AppliedState applied, ApplyReport.Phase phase, String error) {
    return new ApplyReport(applied.generation(), phase, applied.digest(), error, clock.millis());
  }
}
