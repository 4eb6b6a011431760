package io.bulwark.agent.link;

import io.bulwark.agent.bundle.ApplyReport;
import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.ChunkAssembler;
import io.bulwark.agent.bundle.CommitConfirm;
import io.bulwark.agent.bundle.StatusSink;
import io.bulwark.agent.outbox.StatusOutbox;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one stream to the controller open for as long as the agent runs.
 *
 * <p>Each attempt opens a {@code Connect} stream on the channel kept for the agent's identity
 * ({@link StreamChannel}). When the stream ends for any reason (controller down or restarting,
 * network gone, stream refused), a new attempt is scheduled on the {@link ScheduledExecutorService}
 * after a {@link Backoff} delay, which starts over after a stream on which the controller answered;
 * an attempt is also made as soon as the channel connects again. The first failure in a row
 * is logged as a WARN with the gRPC status; while attempts keep failing, one WARN a minute says
 * how many failed and the others go to DEBUG, so an outage of a day leaves a readable log.
 * Thread-safe; the scheduler is the caller's and is not shut down here.
 */
public final class AgentLink {

  private static final Logger log = LoggerFactory.getLogger(AgentLink.class);

  /** How long a running agent holds a report that an apply is under way; see {@link HeldApplying}. */
  public static final Duration APPLYING_HOLD = HeldApplying.DEFAULT_HOLD;

  /** The longest wait between attempts while a commit-confirm is pending. */
  static final Duration CONFIRM_RETRY = Duration.ofSeconds(2);

  private final String controller;
  private final StreamChannel<?> channels;
  private final BundleProcessor processor;
  private final String agentVersion;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final Runnable onConnected;
  private final Object lock = new Object();
  private final StreamSession.Listener events = new Events();
  private final StatusSink reports;
  private final ConfirmRequests confirmRequests = new ConfirmRequests();
  private StreamSession current;
  /** The attempt scheduled after the last stream ended; cancelled when one opens earlier. */
  private ScheduledFuture<?> nextAttempt;
  /** The channel connected while a stream that was failing was still open: retry at once. */
  private boolean readyMeanwhile;
  private boolean connected;
  private boolean stopped;
  private final StatusOutbox outbox;
  private final Path spoolDir;
  private ConfirmRequest awaitedConfirm;
  /** Attempts failed since the last stream that became ready; guarded by lock. */
  private final FailureLog failures = new FailureLog(Duration.ofMinutes(1));

  private record ConfirmRequest(long generation, byte[] nonce) {}

  /**
   * @param controller how to name the controller in logs
   * @param channels the channel to the controller the streams run on
   * @param onConnected run after each stream became ready (on a gRPC thread or the scheduler's;
   *     must not block)
   * @param outbox where every report is stored until the controller acknowledges it
   * @param spoolDir where the chunks of a large desired state are joined (the data directory)
   * @param applyingHold how long a report that an apply is under way waits for the apply's
   *     outcome, which replaces it ({@link HeldApplying}); zero sends each at once
   */
  public AgentLink(
      String controller,
      StreamChannel<?> channels,
      BundleProcessor processor,
      String agentVersion,
      Backoff backoff,
      ScheduledExecutorService scheduler,
      Runnable onConnected,
      StatusOutbox outbox,
      Path spoolDir,
      Duration applyingHold) {
    this.spoolDir = spoolDir;
    this.reports = new HeldApplying(new Reports(), scheduler, applyingHold);
    this.controller = controller;
    this.channels = channels;
    this.processor = processor;
    this.agentVersion = agentVersion;
    this.backoff = backoff;
    this.scheduler = scheduler;
    this.onConnected = onConnected;
    this.outbox = outbox;
  }

  /** Starts connecting in the background. */
  public void start() {
    scheduler.execute(this::connect);
  }

  /**
   * Where reports go: first into the durable outbox, then onto the open stream if there is one; a
   * report that an apply is under way waits for the apply's outcome first ({@link HeldApplying}).
   * Whatever is not acknowledged is sent again after the next connect, so that a report made while
   * the controller was unreachable (a rollback), or before a crash, arrives once it is back.
   */
  public StatusSink reports() {
    return reports;
  }

  /** Closes the stream and its channel; no new attempt is made. Idempotent. */
  public void stop() {
    StreamSession session;
    synchronized (lock) {
      stopped = true;
      connected = false;
      session = current;
      current = null;
      lock.notifyAll();
    }
    if (session != null) {
      session.close();
    }
    ManagedChannel last = channels.close();
    if (last != null) {
      awaitTermination(last);
    }
  }

  /**
   * The channel of the open stream while connected: its mutually authenticated connection can carry
   * other calls (a certificate renewal) without a handshake of their own. The caller must not shut
   * it down.
   */
  public java.util.Optional<ManagedChannel> connectedChannel() {
    synchronized (lock) {
      return connected && current != null ? java.util.Optional.of(current.channel()) : java.util.Optional.empty();
    }
  }

  /** True while a stream is open on a ready channel. */
  public boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  /** Waits until a stream is open on a ready channel; false on timeout or once stopped. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!connected && !stopped) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return connected;
    }
  }

  private void connect() {
    synchronized (lock) {
      if (stopped || current != null) {
        return;
      }
      if (nextAttempt != null) {
        nextAttempt.cancel(false); // this is it, or it is early: one chain of attempts only
        nextAttempt = null;
      }
      try {
        current =
            new StreamSession(
                channels.next(this::connectSoon),
                processor,
                agentVersion,
                events,
                reports,
                confirmRequests,
                this::acknowledged,
                processor.newAssembler(spoolDir, ChunkAssembler.DEFAULT_MAX_BYTES),
                outbox::lastSequence);
        current.start();
      } catch (RuntimeException e) {
        current = null;
        retry(Status.fromThrowable(e), false);
      }
    }
  }

  /** An attempt now, off the calling thread: the channel connected before the next was due. */
  private void connectSoon() {
    try {
      scheduler.execute(() -> {
        synchronized (lock) {
          if (current != null) {
            // A stream opened before is still there: if it never gets ready, retry at once.
            readyMeanwhile = !connected;
            return;
          }
        }
        connect();
      });
    } catch (RejectedExecutionException e) {
      log.debug("not reconnecting: the scheduler is shut down");
    }
  }

  /** Schedules the next attempt; with the lock held. */
  private void retry(Status status, boolean gotReply) {
    if (gotReply) {
      backoff.reset();
    }
    Duration delay = readyMeanwhile ? Duration.ZERO : backoff.next();
    readyMeanwhile = false;
    if (awaitedConfirm != null && delay.compareTo(CONFIRM_RETRY) > 0) {
      // New rules wait for the controller's confirmation: a long backoff would waste the window
      // and roll them back although the controller is merely restarting.
      delay = CONFIRM_RETRY;
    }
    logFailure(status, delay);
    try {
      nextAttempt = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not reconnecting: the scheduler is shut down");
    }
  }

  private void logFailure(Status status, Duration delay) {
    switch (failures.failed(System.nanoTime())) {
      case FIRST -> log.warn("stream to controller {} ended: {}; reconnecting in {} ms",
          controller, StatusText.describe(status), delay.toMillis());
      case STILL -> log.warn("still no stream to controller {}: {} attempts in a row failed, the last with: {};"
              + " next attempt in {} ms", controller, failures.count(), StatusText.describe(status), delay.toMillis());
      case QUIET -> {
        if (log.isDebugEnabled()) {
          log.debug("attempt {} to reach controller {} failed: {}; next in {} ms",
              failures.count(), controller, StatusText.describe(status), delay.toMillis());
        }
      }
    }
  }

  private static void awaitTermination(ManagedChannel channel) {
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Sends what waits in the outbox, then any awaited confirm request; with the lock held. */
  private void flush(StreamSession session) {
    try {
      for (StatusOutbox.Entry entry : outbox.pending()) {
        if (!session.report(entry.sequence(), entry.report())) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.error("cannot read the status outbox: {}", e.toString());
    }
    if (awaitedConfirm != null) {
      session.sendConfirmRequest(awaitedConfirm.generation(), awaitedConfirm.nonce());
    }
  }

  /** The controller stored every report up to {@code sequence}. */
  void acknowledged(long sequence) {
    try {
      outbox.acknowledge(sequence);
    } catch (IOException e) {
      log.warn("cannot clear acknowledged reports from the outbox: {}", e.toString());
    }
  }

  private final class Reports implements StatusSink {
    @Override
    public void report(ApplyReport report) {
      StatusOutbox.Entry entry;
      try {
        entry = outbox.append(report);
      } catch (IOException e) {
        // Sequence 0: sent once, not kept, not deduplicated.
        log.error("cannot store a report in the outbox; sending it without: {}", e.toString());
        entry = new StatusOutbox.Entry(0, report);
      }
      synchronized (lock) {
        if (connected && current != null) {
          current.report(entry.sequence(), entry.report());
        }
      }
    }
  }

  private final class ConfirmRequests implements CommitConfirm.Requests {
    @Override
    public void request(long generation, byte[] nonce) {
      synchronized (lock) {
        awaitedConfirm = new ConfirmRequest(generation, nonce);
        if (connected && current != null) {
          current.sendConfirmRequest(generation, nonce);
        }
      }
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        awaitedConfirm = null;
      }
    }
  }

  private final class Events implements StreamSession.Listener {

    @Override
    public void connected(StreamSession session) {
      synchronized (lock) {
        if (session != current) {
          return;
        }
        connected = true;
        readyMeanwhile = false; // the wakeup was this stream's own
        failures.reset();
        lock.notifyAll();
        flush(session);
      }
      log.info("connected to controller {}", controller);
      onConnected.run();
    }

    @Override
    public void ended(StreamSession session, Status status, boolean gotReply) {
      synchronized (lock) {
        if (session != current || stopped) {
          return;
        }
        current = null;
        connected = false;
        Status.Code code = status.getCode();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
          // Refused (revoked, enrolled again, unknown): the next attempt makes a handshake of its
          // own, where the controller refuses such a certificate, instead of reusing this connection.
          channels.close();
        }
        retry(status, gotReply);
      }
    }
  }
}
