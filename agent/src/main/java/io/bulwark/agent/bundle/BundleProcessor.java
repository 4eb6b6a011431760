package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.LineChange;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes desired states from the stream, checks them, applies them one at a time and reports.
 *
 * <p>Each bundle is verified ({@link BundleVerifier}), checked ({@link BundleCheck}), applied and
 * then kept only once confirmed ({@link CommitConfirm}). {@link #submit} returns at once; the work
 * runs on the given executor, which must run one task at a time. When bundles arrive faster than
 * they apply, only the newest waiting one is kept. The applied state is saved only after the
 * applier verified the rules. Thread-safe.
 */
public final class BundleProcessor {

  private static final Logger log = LoggerFactory.getLogger(BundleProcessor.class);
  private record Pending(RuleBundle bundle, StatusSink sink, CommitConfirm.Requests requests) {}

  private final Applier applier;
  private final AppliedStateStore store;
  private final HighWaterMark highWater;
  private final BundleVerifier verifier;
  private final CommitConfirm confirm;
  private final DriftCheck drift;
  private final Clock clock;
  private final Executor executor;
  private final Consumer<AppliedState> onApplied;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private final BeforeApply beforeApply;
  private volatile AppliedState applied;
  private volatile boolean stopping;
  private final AtomicLong fromDelta = new AtomicLong();
  private final AtomicLong fromFull = new AtomicLong();

  /** Rule sets applied since start, by how they arrived. */
  public record Counts(long fromDelta, long fromFull) {}

  /**
   * @param highWater the highest generation accepted so far, raised before each apply
   * @param verifier checks signature, device, expiry and rollback before anything else
   * @param confirm keeps applied rules only once the controller answered through them
   * @param drift compares the live rules with those applied, on request
   * @param onApplied told of each newly applied state, on the apply thread
   */
  public BundleProcessor(Applier applier, AppliedStateStore store, HighWaterMark highWater, BundleVerifier verifier,
      CommitConfirm confirm, DriftCheck drift, Clock clock, Executor executor, Consumer<AppliedState> onApplied) {
    this.applier = Objects.requireNonNull(applier, "applier");
    this.store = Objects.requireNonNull(store, "store");
    this.highWater = Objects.requireNonNull(highWater, "highWater");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.confirm = Objects.requireNonNull(confirm, "confirm");
    this.drift = Objects.requireNonNull(drift, "drift");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.onApplied = Objects.requireNonNull(onApplied, "onApplied");
    this.applied = store.load();
    this.beforeApply = new BeforeApply(highWater, confirm, drift, applier);
  }

  /**
   * The agent is stopping: nothing more is applied (a bundle being checked is refused before it
   * changes anything). Any thread.
   */
  public void stop() {
    stopping = true;
  }

  /** What is applied and verified now. */
  public AppliedState applied() {
    return applied;
  }

  public Counts counts() {
    return new Counts(fromDelta.get(), fromFull.get());
  }

  public String applierKind() {
    return applier.kind();
  }

  /**
   * Queues {@code bundle}; its reports go to {@code sink} and its confirm request to {@code
   * requests}.
   */
  public void submit(RuleBundle bundle, StatusSink sink, CommitConfirm.Requests requests) {
    if (pending.getAndSet(new Pending(bundle, sink, requests)) == null) {
      executor.execute(this::drain);
    }
  }

  /**
   * Finishes what a previous run left: rules applied but never confirmed are restored, and
   * reported as rolled back (those of a run that stopped before it applied them are restored too, to
   * be sure, and not reported); otherwise the applier is told which rules are applied ({@link
   * Applier#known}). Queued on the apply thread; call once, before the first bundle.
   */
  public void recover(StatusSink sink) {
    executor.execute(
        () -> {
          try {
            Optional<CommitConfirm.Pending> left = confirm.leftover();
            if (left.isPresent() && !confirmedBefore(left.get())) {
              rollBackLeftover(left.get(), sink);
              return;
            }
            left.ifPresent(confirmed -> confirm.settle());
            if (applied.generation() != 0) {
              drift.appliedRules(applied).ifPresent(rules -> {
                applier.known(rules);
                // Read back from disk without blocks: cut meanwhile, for the first delta.
                DeltaCheck.cutLaterIfLarge(drift.lines(rules));
              });
            }
          } catch (RuntimeException e) {
            log.error("cannot finish the unconfirmed apply of the previous run: {}", e.toString());
          }
        });
  }

  /**
   * Queues a drift check on the apply thread, after whatever apply is in progress; see {@link
   * DriftCheck#run}.
   */
  public void checkDrift(StatusSink sink, boolean reportAgain) {
    try {
      executor.execute(
          () -> {
            try {
              drift.run(applied, sink, reportAgain);
            } catch (RuntimeException e) {
              log.error("the drift check broke: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      log.debug("no drift check: the agent is stopping");
    }
  }

  /** A joiner for chunked desired states, checking signatures as this processor does. */
  public ChunkAssembler newAssembler(java.nio.file.Path spoolDir, long maxBytes) {
    return new ChunkAssembler(verifier, spoolDir, maxBytes);
  }

  /**
   * Reports a bundle refused before it could be queued, such as a chunked transfer that arrived
   * damaged; nothing is applied. Any thread.
   */
  public void refused(long generation, String digest, String reason, StatusSink sink) {
    log.warn("generation {} rejected: {}", Long.toUnsignedString(generation), reason);
    sink.report(new ApplyReport(
        generation, ApplyReport.Phase.REJECTED, digest, ApplyReport.trim(reason), clock.millis()));
  }

  /** A Confirm from the controller; see {@link CommitConfirm#confirmed}. Any thread. */
  public void confirmed(long generation, byte[] nonce) {
    confirm.confirmed(generation, nonce);
  }

  private void drain() {
    Pending next = pending.getAndSet(null);
    if (next != null) {
      MDC.put("generation", Long.toUnsignedString(next.bundle().generation()));
      try {
        process(next.bundle(), next.sink(), next.requests());
      } finally {
        MDC.remove("generation");
      }
    }
  }

  private void process(RuleBundle bundle, StatusSink sink, CommitConfirm.Requests requests) {
    AppliedState current = applied;
    // A delta is applied within milliseconds of its check: the rules in place are read meanwhile.
    var previous = confirm.enabled() && bundle.delta() != null ? SnapshotAhead.start(applier) : null;
    // Written while a large delta that would be applied is checked; taken by the apply, else cleared.
    try (BeforeApply.Early written = beforeApply.early(current, previous)) {
      process(bundle, sink, requests, current, written);
    }
  }

  private void process(RuleBundle bundle, StatusSink sink, CommitConfirm.Requests requests, AppliedState current,
      BeforeApply.Early written) {
    long generation = bundle.generation();
    BundleVerifier.Result result =
        verifier.verify(
            bundle,
            highWater.value(),
            base -> base == current.generation() ? drift.appliedRules(current) : Optional.empty(),
            current.generation(),
            current.digest(),
            drift::lines,
            header -> {
              if (BundleCheck.check(header, current, applier.kind()) instanceof BundleCheck.Apply
                  && confirm.rolledBackReason(header.generation()).isEmpty()) {
                written.start(header);
              }
            });
    if (result instanceof BundleVerifier.Rejected rejected) {
      log.warn("generation {} rejected: {}", generation, rejected.reason());
      sink.report(report(bundle, ApplyReport.Phase.REJECTED, rejected.reason()));
      return;
    }
    var verified = (BundleVerifier.Verified) result;
    SignedHeader header = verified.header();
    boolean delta = bundle.delta() != null;
    // Kept to journal the change instead of writing the whole rule set again once applied.
    RuleDelta edits = verified.change() == null ? null : bundle.delta();
    BundleCheck.Verdict verdict = BundleCheck.check(header, applied, applier.kind());
    Optional<String> rolledBack = confirm.rolledBackReason(generation);
    if (verdict instanceof BundleCheck.Rejected rejected) {
      log.warn("generation {} refused: {}", generation, rejected.reason());
      sink.report(report(bundle, ApplyReport.Phase.REJECTED, rejected.reason()));
    } else if (verdict instanceof BundleCheck.AlreadyApplied) {
      log.info("generation {} is already applied", generation);
      sink.report(report(bundle, ApplyReport.Phase.APPLIED, ""));
    } else if (rolledBack.isPresent()) {
      // Applying it again would cut the controller off again; wait for a newer generation.
      log.warn("generation {} was rolled back before; not applying it again", generation);
      sink.report(report(bundle, ApplyReport.Phase.ROLLED_BACK, rolledBack.get()));
    } else if (applyConfirmed(bundle, verified, edits, written.take(header), sink, requests)) {
      (delta ? fromDelta : fromFull).incrementAndGet();
    }
  }

  /**
   * Applies and awaits the confirmation; true when the rules were kept.
   *
   * @param written what {@link BeforeApply} wrote for this bundle
   */
  private boolean applyConfirmed(
      RuleBundle bundle,
      BundleVerifier.Verified verified,
      RuleDelta edits,
      BeforeApply.Outcome written,
      StatusSink sink,
      CommitConfirm.Requests requests) {
    LineChange change = verified.change();
    SignedHeader header = verified.header();
    long generation = bundle.generation();
    AppliedState before = applied;
    if (written instanceof BeforeApply.Refused refused) {
      confirm.settle(); // a record half written must not roll anything back later
      fail(bundle, sink, refused.reason());
      return false;
    }
    String previous = ((BeforeApply.Ready) written).previousRules();
    if (stopping || Thread.currentThread().isInterrupted()) {
      confirm.settle();
      fail(bundle, sink, "the agent is stopping, so nothing was applied");
      return false;
    }
    if (confirm.enabled()) {
      confirm.applying();
    }
    sink.report(report(bundle, ApplyReport.Phase.APPLYING, ""));
    ApplyOutcome outcome = applyGuarded(verified);
    if (outcome instanceof ApplyOutcome.Failed failed && confirm.enabled() && Thread.currentThread().isInterrupted()) {
      // Stopped mid-apply: what changed is not known, so the record stays for the next start.
      log.warn("stopped while applying generation {}; the next start restores the previous rules", generation);
      return false;
    }
    if (outcome instanceof ApplyOutcome.Failed failed) {
      confirm.settle();
      String error = ApplyReport.trim(failed.error());
      log.warn("generation {} failed; previous rules stay in place: {}", generation, error);
      sink.report(report(bundle, ApplyReport.Phase.FAILED, error));
      return false;
    }
    boolean confirmed;
    try {
      confirmed = !confirm.enabled() || confirm.await(generation, requests);
    } catch (InterruptedException e) {
      // Stopping: the pending record stays, and the next start restores the previous rules.
      Thread.currentThread().interrupt();
      log.info("stopped while generation {} awaited its confirmation", generation);
      return false;
    }
    if (!confirmed) {
      String reason = "no confirmation from the controller within " + confirm.window().toSeconds()
          + " s after applying generation " + Long.toUnsignedString(generation) + "; " + restore(previous);
      log.warn("generation {} rolled back: {}", generation, reason);
      confirm.rememberRollback(generation, reason);
      sink.report(report(bundle, ApplyReport.Phase.ROLLED_BACK, reason));
      confirm.settle();
      return false;
    }
    // Recorded before the commit-confirm record goes: a stop between leaves both, and the next
    // start takes the record of the generation recorded as applied for confirmed.
    record(new AppliedState(generation, header.digest()), verified.rules(), change, edits, before,
        verified.lines());
    confirm.settle();
    log.info("applied generation {} with {}: {}", generation, applier.kind(),
        ((ApplyOutcome.Applied) outcome).readBackSummary());
    sink.report(report(bundle, ApplyReport.Phase.APPLIED, ""));
    return true;
  }

  private void rollBackLeftover(CommitConfirm.Pending left, StatusSink sink) {
    if (!left.applyStarted()) {
      // Stopped while the bundle was checked: nothing to report, and the generation may come again.
      log.info("the agent stopped before applying generation {}; {}",
          Long.toUnsignedString(left.generation()), restore(left.previousRules()));
      confirm.settle();
      return;
    }
    String reason = "the agent stopped before generation " + Long.toUnsignedString(left.generation())
        + " was confirmed; " + restore(left.previousRules());
    log.warn("{}", reason);
    confirm.rememberRollback(left.generation(), reason);
    sink.report(new ApplyReport(left.generation(), ApplyReport.Phase.ROLLED_BACK, left.digest(), reason,
        clock.millis()));
    confirm.settle();
  }

  /** Whether {@code left} is of the generation recorded as applied: confirmed, stopped before its record went. */
  private boolean confirmedBefore(CommitConfirm.Pending left) {
    return left.generation() == applied.generation() && left.digest().equals(applied.digest());
  }

  private String restore(String previousRules) {
    ApplyOutcome restored;
    try {
      restored = applier.restore(previousRules);
    } catch (RuntimeException e) {
      restored = new ApplyOutcome.Failed(e.toString());
    }
    return restored instanceof ApplyOutcome.Failed failed
        ? "restoring the previous rules FAILED: " + ApplyReport.trim(failed.error())
        : "the previous rules were restored";
  }

  private void fail(RuleBundle bundle, StatusSink sink, String error) {
    log.error("generation {}: {}", bundle.generation(), error);
    sink.report(report(bundle, ApplyReport.Phase.FAILED, error));
  }

  private ApplyOutcome applyGuarded(BundleVerifier.Verified verified) {
    try {
      return verified.change() == null
          ? applier.apply(verified.rules())
          : applier.apply(verified::rules, verified.change());
    } catch (RuntimeException e) {
      if (verified.unmade()) {
        // Asked for before anything was applied (see Applier#apply(Supplier, LineChange)).
        log.error("generation {}: {}", verified.header().generation(), e.toString());
        return new ApplyOutcome.Failed(e.getMessage());
      }
      log.error("applier {} broke its contract and threw: {}", applier.kind(), e.toString());
      return new ApplyOutcome.Failed("internal error in the " + applier.kind() + " applier: " + e);
    }
  }

  /**
   * Keeps {@code state} as applied, with its rules (and their line starts, when known); on disk
   * only {@code edits} when they made them of {@code before}'s.
   */
  private void record(AppliedState state, String rules, LineChange change, RuleDelta edits,
      AppliedState before, LineText lines) {
    applied = state;
    try {
      String base = change == null ? null : change.base();
      drift.remember(rules, state.digest(), edits, base, before.digest(), lines);
      store.save(state);
    } catch (IOException e) {
      // The rules are in place; only the record is missing, so after a restart the agent
      // reports the older generation and the controller sends this one again.
      log.error(
          "generation {} is applied but could not be recorded: {}",
          state.generation(),
          e.toString());
    }
    onApplied.accept(state);
  }

  private ApplyReport report(RuleBundle bundle, ApplyReport.Phase phase, String error) {
    return new ApplyReport(bundle.generation(), phase, bundle.digest(), error, clock.millis());
  }
}
