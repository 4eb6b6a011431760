package io.bulwark.agent.link;

import io.bulwark.agent.bundle.ApplyReport;
import io.bulwark.agent.bundle.StatusSink;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds a report that an apply is under way ({@link ApplyReport.Phase#APPLYING}) for a while, and
 * drops it when a report of the same generation comes first: a delta applied and confirmed
 * within the hold is reported once, as its outcome, which saves a stored report, two messages and
 * a status write on the controller per device and change. An apply that takes longer is reported
 * as under way when the hold is over. Any other report passes at once, after a held one of
 * another generation, so the order reports were made in is kept.
 *
 * <p>Nothing is lost to a crash during the hold: the commit-confirm record makes the next start
 * report the apply as rolled back. Reports are passed on with this object's lock held, so that a
 * report released by the timer and one made meanwhile cannot swap places. Thread-safe.
 */
final class HeldApplying implements StatusSink {

  /** The hold of a running agent: longer than a delta takes to apply and confirm. */
  static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);

  private final StatusSink next;
  private final ScheduledExecutorService scheduler;
  private final long holdMillis;
  private ApplyReport held;
  private ScheduledFuture<?> release;

  /** @param hold zero to pass every report on at once */
  HeldApplying(StatusSink next, ScheduledExecutorService scheduler, Duration hold) {
    this.next = next;
    this.scheduler = scheduler;
    this.holdMillis = hold.toMillis();
  }

  @Override
  public synchronized void report(ApplyReport report) {
    ApplyReport before = takeHeld();
    if (before != null && before.generation() != report.generation()) {
      next.report(before);
    }
    if (report.phase() == ApplyReport.Phase.APPLYING && holdMillis > 0 && hold(report)) {
      return;
    }
    next.report(report);
  }

  /** Starts holding {@code report}; false when the timer cannot take it (the agent is stopping). */
  private boolean hold(ApplyReport report) {
    try {
      release = scheduler.schedule(() -> released(report), holdMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return false;
    }
    held = report;
    return true;
  }

  private synchronized void released(ApplyReport report) {
    if (held == report) {
      held = null;
      release = null;
      next.report(report);
    }
  }

  /** The held report, no longer held; null if none. */
  private ApplyReport takeHeld() {
    ApplyReport taken = held;
    if (taken != null) {
      held = null;
      release.cancel(false);
      release = null;
    }
    return taken;
  }
}
