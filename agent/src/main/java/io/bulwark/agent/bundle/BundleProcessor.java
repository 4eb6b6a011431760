package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes desired states from the stream, checks them, applies them one at a time and reports.
 *
 * <p>{@link #submit} returns at once; the work runs on the given executor, which must run one task
 * at a time. When bundles arrive faster than they apply, only the newest waiting one is kept. The
 * applied state is saved only after the applier verified the rules. Thread-safe.
 */
public final class BundleProcessor {

  /** Longest error text sent to the controller, in bytes of UTF-8. */
  static final int MAX_ERROR_BYTES = 4096;

  private static final Logger log = LoggerFactory.getLogger(BundleProcessor.class);

  private record Pending(RuleBundle bundle, StatusSink sink) {}

  private final Applier applier;
  private final AppliedStateStore store;
  private final HighWaterMark highWater;
  private final BundleVerifier verifier;
  private final Clock clock;
  private final Executor executor;
  private final Consumer<AppliedState> onApplied;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private volatile AppliedState applied;

  /**
   * @param highWater the highest generation accepted so far, raised before each apply
   * @param verifier checks signature, device, expiry and rollback before anything else
   * @param onApplied told of each newly applied state, on the apply thread
   */
  public BundleProcessor(
      Applier applier,
      AppliedStateStore store,
      HighWaterMark highWater,
      BundleVerifier verifier,
      Clock clock,
      Executor executor,
      Consumer<AppliedState> onApplied) {
    this.applier = Objects.requireNonNull(applier, "applier");
    this.store = Objects.requireNonNull(store, "store");
    this.highWater = Objects.requireNonNull(highWater, "highWater");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.onApplied = Objects.requireNonNull(onApplied, "onApplied");
    this.applied = store.load();
  }

  /** What is applied and verified now. */
  public AppliedState applied() {
    return applied;
  }

  public String applierKind() {
    return applier.kind();
  }

  /** Queues {@code bundle}; its reports go to {@code sink}. */
  public void submit(RuleBundle bundle, StatusSink sink) {
    if (pending.getAndSet(new Pending(bundle, sink)) == null) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    Pending next = pending.getAndSet(null);
    if (next != null) {
      MDC.put("generation", Long.toUnsignedString(next.bundle().generation()));
      try {
        process(next.bundle(), next.sink());
      } finally {
        MDC.remove("generation");
      }
    }
  }

  private void process(RuleBundle bundle, StatusSink sink) {
    long generation = bundle.generation();
    BundleVerifier.Result result = verifier.verify(bundle, highWater.value());
    if (result instanceof BundleVerifier.Rejected rejected) {
      log.warn("generation {} rejected: {}", generation, rejected.reason());
      sink.report(report(bundle, ApplyReport.Phase.REJECTED, rejected.reason()));
      return;
    }
    SignedHeader header = ((BundleVerifier.Verified) result).header();
    BundleCheck.Verdict verdict = BundleCheck.check(header, applied, applier.kind());
    if (verdict instanceof BundleCheck.Rejected rejected) {
      log.warn("generation {} refused: {}", generation, rejected.reason());
      sink.report(report(bundle, ApplyReport.Phase.REJECTED, rejected.reason()));
    } else if (verdict instanceof BundleCheck.AlreadyApplied) {
      log.info("generation {} is already applied", generation);
      sink.report(report(bundle, ApplyReport.Phase.APPLIED, ""));
    } else {
      try {
        // Durable before the rules change, so no crash can let an older bundle in afterwards.
        highWater.raise(generation);
      } catch (IOException e) {
        String error = "cannot record the high-water mark, so nothing was applied: " + e;
        log.error("generation {}: {}", generation, error);
        sink.report(report(bundle, ApplyReport.Phase.FAILED, error));
        return;
      }
      sink.report(report(bundle, ApplyReport.Phase.APPLYING, ""));
      ApplyOutcome outcome = applyGuarded(bundle.rules());
      if (outcome instanceof ApplyOutcome.Applied done) {
        record(new AppliedState(generation, header.digest()));
        log.info(
            "applied generation {} with {}: {}",
            generation,
            applier.kind(),
            done.readBackSummary());
        sink.report(report(bundle, ApplyReport.Phase.APPLIED, ""));
      } else {
        String error = trim(((ApplyOutcome.Failed) outcome).error());
        log.warn("generation {} failed; previous rules stay in place: {}", generation, error);
        sink.report(report(bundle, ApplyReport.Phase.FAILED, error));
      }
    }
  }

  private ApplyOutcome applyGuarded(String rules) {
    try {
      return applier.apply(rules);
    } catch (RuntimeException e) {
      log.error("applier {} broke its contract and threw: {}", applier.kind(), e.toString());
      return new ApplyOutcome.Failed("internal error in the " + applier.kind() + " applier: " + e);
    }
  }

  private void record(AppliedState state) {
    applied = state;
    try {
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

  /** {@code text} cut to at most {@link #MAX_ERROR_BYTES} bytes of UTF-8, never mid-character. */
  static String trim(String text) {
    String stripped = text.strip();
    byte[] bytes = stripped.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_ERROR_BYTES) {
      return stripped;
    }
    int end = MAX_ERROR_BYTES;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
