package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.outbox.AppliedState;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must be on disk before a bundle's rules change anything: the high-water mark raised to its
 * generation, then the commit-confirm record of the rules to restore.
 *
 * <p>Neither depends on the bundle's rules (only on its signed header, the rules in place and the
 * state applied), so for a delta to a large rule set both are written while the delta itself is
 * still being checked ({@link #meanwhile}), on a thread of their own. The checks before
 * (signature, device, expiry, no rollback) have passed by then, so the mark only ever holds a
 * generation the controller signed for this device; it stays raised if the delta is then refused.
 * Whatever is not applied in the end has its commit-confirm record cleared again, once
 * {@link #join} returned. A crash before then leaves the record without the mark of an apply
 * started ({@link CommitConfirm#applying}), so the next start puts the rules in place back as they
 * were and neither reports nor refuses the generation. Not
 * thread-safe: one apply at a time, and nothing else on the apply thread while a {@link
 * #meanwhile} runs.
 */
record BeforeApply(HighWaterMark highWater, CommitConfirm confirm, DriftCheck drift, Applier applier) {
  /** Threads for {@link #meanwhile}: at most one per apply thread in the process, idle ones end. */
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bulwark-before-apply");
    t.setDaemon(true);
    return t;
  });

  private static final Logger log = LoggerFactory.getLogger(BeforeApply.class);

  /** Writes started by {@link #meanwhile} since start, for tests and benches. */
  static final AtomicLong WRITTEN_MEANWHILE = new AtomicLong();

  /** The outcome: the rules to restore if the apply is not confirmed, or why nothing may be applied. */
  sealed interface Outcome {}

  /** Written; {@code previousRules} are the rules in place ("" with commit-confirm off). */
  record Ready(String previousRules) implements Outcome {}

  /** Not written; nothing may be applied, for {@code reason}. */
  record Refused(String reason) implements Outcome {}

  /**
   * Writes both, now, for {@code header}, applied over {@code before}.
   *
   * @param inPlace the rules in place, read since the bundle came; null to read them here
   */
  Outcome now(SignedHeader header, AppliedState before, CompletableFuture<Optional<String>> inPlace) {
    Optional<String> previous;
    try {
      // Durable before the rules change, so no crash can let an older bundle in afterwards.
      highWater.raise(header.generation());
      previous = !confirm.enabled() ? Optional.of("") : inPlace != null ? SnapshotAhead.await(inPlace) : applier.snapshot();
      if (previous.isEmpty()) {
        return new Refused("cannot read the rules in place, so they could not be restored");
      }
      if (confirm.enabled()) {
        confirm.prepare(header.generation(), header.digest(), previous.get(),
            drift.filesHolding(previous.get(), before.digest()), before.digest());
      }
    } catch (IOException e) {
      return new Refused("cannot record the apply durably, so nothing was applied: " + e);
    }
    return new Ready(previous.get());
  }

  /** {@link #now}, on another thread; the caller {@link #join}s it in the end, applied or not. */
  CompletableFuture<Outcome> meanwhile(SignedHeader header, AppliedState before, CompletableFuture<Optional<String>> inPlace) {
    WRITTEN_MEANWHILE.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> now(header, before, inPlace), WRITERS);
  }

  /**
   * What {@link #meanwhile} wrote, waiting for it even if interrupted, so that the caller may then
   * clear the commit-confirm record; a failure to write is a {@link Refused}. (An agent stopping
   * meanwhile applies nothing: {@link BundleProcessor} checks that next.)
   */
  static Outcome join(CompletableFuture<Outcome> written) {
    try {
      return written.join();
    } catch (RuntimeException e) {
      return new Refused("cannot record the apply durably, so nothing was applied: " + e);
    }
  }


  /** The writes for one bundle applied over {@code before}; see {@link Early}. */
  Early early(AppliedState before, CompletableFuture<Optional<String>> inPlace) {
    return new Early(before, inPlace);
  }

  /**
   * One bundle's writes, on its apply thread: started while it is checked ({@link #start}) or made
   * when the apply takes them ({@link #take}). Closing waits for writes started and not taken and
   * clears their commit-confirm record.
   */
  final class Early implements AutoCloseable {
    private final AppliedState before;
    private final CompletableFuture<Optional<String>> inPlace;
    private CompletableFuture<Outcome> started;

    private Early(AppliedState before, CompletableFuture<Optional<String>> inPlace) {
      this.before = before;
      this.inPlace = inPlace;
    }

    /** Starts the writes for {@code header} on another thread ({@link #meanwhile}). */
    void start(SignedHeader header) {
      started = meanwhile(header, before, inPlace);
    }

    /** What was written for {@code header}: joined when started, else written now. */
    Outcome take(SignedHeader header) {
      CompletableFuture<Outcome> written = started;
      started = null;
      return written != null ? join(written) : now(header, before, inPlace);
    }

    @Override
    public void close() {
      CompletableFuture<Outcome> unused = started;
      started = null;
      if (unused != null) {
        if (join(unused) instanceof Refused refused) {
          log.warn("writing before the apply failed: {}", refused.reason());
        }
        confirm.settle();
      }
    }
  }
}
