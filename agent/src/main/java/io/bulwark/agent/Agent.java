package io.bulwark.agent;

import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.BundleVerifier;
import io.bulwark.agent.bundle.CommitConfirm;
import io.bulwark.agent.bundle.DriftCheck;
import io.bulwark.agent.bundle.HighWaterMark;
import io.bulwark.agent.bundle.SigningKeyPin;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.ConfigException;
import io.bulwark.agent.config.TokenFile;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.AgentLink;
import io.bulwark.agent.link.Backoff;
import io.bulwark.agent.link.CertificateRenewer;
import io.bulwark.agent.link.ChannelFactory;
import io.bulwark.agent.link.Enroller;
import io.bulwark.agent.link.StreamChannel;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.outbox.StatusOutbox;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One running agent: enrolls if the data dir holds no credentials yet, then keeps the stream to the
 * controller and applies what it sends.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #stop()} once or more. {@code start} enrolls
 * synchronously (throwing {@link io.bulwark.agent.link.EnrollmentException} or {@link
 * ConfigException} on failure) and then connects in the background; the await methods let a caller,
 * such as an integration test, follow it. Thread-safe.
 */
public final class Agent {

  /** The agent's version, as sent in {@code Hello} and {@code EnrollRequest}. */
  public static final String VERSION = AgentVersion.read();

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final ChannelFactory channels;
  private final DataDir dataDir;
  private final CountDownLatch enrolled = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object appliedLock = new Object();
  private final AtomicReference<AgentIdentity> identity = new AtomicReference<>();
  private volatile String device;
  private final Shared shared;
  private ScheduledExecutorService scheduler;
  private java.util.concurrent.Executor applyThread;
  private BundleProcessor processor;
  private AgentLink link;
  private volatile StatusOutbox outbox;
  private boolean started;

  /** An agent talking TLS to the controller. */
  public Agent(AgentConfig config) {
    this(config, new TlsChannelFactory());
  }

  /** An agent using {@code channels}, for example in-process channels in tests. */
  public Agent(AgentConfig config, ChannelFactory channels) {
    this(config, channels, null);
  }

  /**
   * Threads that many agents in one process share instead of two each: a scheduler for the
   * stream, renewal and drift checks, and a pool on which each agent's applies run one at a time;
   * and where they keep the rule sets they verified. The caller owns the threads and shuts them
   * down after stopping the agents.
   */
  public record Shared(
      ScheduledExecutorService scheduler,
      java.util.concurrent.Executor applyPool,
      io.bulwark.agent.bundle.RuleTexts texts) {}

  /** An agent on {@code shared} threads (null: its own), as the fleet simulator runs many. */
  public Agent(AgentConfig config, ChannelFactory channels, Shared shared) {
    this.config = config;
    this.channels = channels;
    this.dataDir = new DataDir(config.dataDir());
    this.shared = shared;
  }

  /**
   * Enrolls when needed, then starts connecting.
   *
   * @throws ConfigException when not enrolled and there is no usable token file
   * @throws io.bulwark.agent.link.EnrollmentException when enrollment fails
   * @throws IllegalStateException when called twice
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the agent was started already");
    }
    started = true;
    dataDir.prepare();
    AgentIdentity identity = enrolledIdentity();
    this.identity.set(identity);
    device = identity.device();
    enrolled.countDown();
    if (shared == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "bulwark-link"));
      applyThread = Executors.newSingleThreadExecutor(r -> thread(r, "bulwark-apply"));
    } else {
      scheduler = shared.scheduler();
      applyThread = new io.bulwark.agent.host.SerialExecutor(shared.applyPool());
    }
    AppliedStateStore appliedStore = new AppliedStateStore(dataDir.appliedState());
    processor =
        new BundleProcessor(
            config.applier(),
            appliedStore,
            new HighWaterMark(dataDir.highWaterMark(), appliedStore.load().generation()),
            new BundleVerifier(
                device,
                SigningKeyPin.load(dataDir.bundleSigningKey()),
                config.clock(),
                shared == null ? io.bulwark.agent.bundle.RuleTexts.OWN : shared.texts()),
            new CommitConfirm(dataDir.root(), config.confirmWindow()),
            new DriftCheck(
                config.applier(),
                dataDir.resolve("applied.rules"),
                config.driftPolicy(),
                config.clock()),
            config.clock(),
            applyThread,
            this::applied);
    log.info(
        "agent {} starting as {} with the {} applier; applied generation {}",
        VERSION,
        device,
        config.applier().kind(),
        processor.applied().generation());
    BundleProcessor started = processor;
    StatusOutbox reportsOut = new StatusOutbox(dataDir.outbox());
    outbox = reportsOut;
    link =
        new AgentLink(
            config.controller().toString(),
            new StreamChannel<>(this.identity::get, id -> channels.agentChannel(config.controller(), id),
                id -> id.notAfter().isAfter(config.clock().instant())),
            processor,
            VERSION,
            Backoff.standard(),
            scheduler,
            () -> started.checkDrift(link.reports(), true),
            reportsOut,
            dataDir.root(),
            AgentLink.APPLYING_HOLD);
    io.bulwark.agent.bundle.ChunkAssembler.deleteLeftovers(dataDir.root());
    scheduleRenewal(identity);
    processor.recover(link.reports());
    // At start-up, then periodically; a check waits for any apply in progress.
    long every = config.driftInterval().toMillis();
    if (every > 0) {
      scheduler.scheduleWithFixedDelay(
          () -> started.checkDrift(link.reports(), false), 0, every, TimeUnit.MILLISECONDS);
    }
    link.start();
  }

  /** Renewal at about two thirds of the certificate's lifetime; the next stream uses the new one. */
  private void scheduleRenewal(AgentIdentity current) {
    Duration delay =
        CertificateRenewer.delayUntilRenewal(
            current, config.clock().instant(), ThreadLocalRandom.current().nextDouble());
    log.info("certificate valid until {}; renewal in {} s", current.notAfter(), delay.toSeconds());
    scheduler.schedule(this::renew, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Renews over the stream's own mutually authenticated connection when connected (no new
   * handshake, and the controller sees the renewal come from the device it is streaming to), else
   * over a channel of its own for this call.
   */
  private void renew() {
    AgentIdentity current = identity.get();
    AgentLink open = link;
    Optional<ManagedChannel> streaming = open == null ? Optional.empty() : open.connectedChannel();
    ManagedChannel channel = streaming.orElseGet(() -> channels.agentChannel(config.controller(), current));
    try {
      AgentIdentity renewed = new CertificateRenewer(dataDir).renew(current, channel);
      identity.set(renewed);
      log.info("renewed the certificate with a new key, valid until {}", renewed.notAfter());
      scheduleRenewal(renewed);
    } catch (RuntimeException e) {
      log.warn("certificate renewal failed, retrying in 5 minutes: {}", e.getMessage());
      scheduler.schedule(this::renew, 5, TimeUnit.MINUTES);
    } finally {
      if (streaming.isEmpty()) {
        channel.shutdownNow();
      }
    }
  }

  /**
   * The identity to run with: the enrolled one while its certificate is valid; after it expired,
   * a new enrollment with the token file (for the same device), or a clear refusal without one. A
   * controller refuses an expired certificate at every handshake, so retrying with it is useless.
   */
  private AgentIdentity enrolledIdentity() {
    if (dataDir.isEnrolled()) {
      AgentIdentity current = AgentIdentity.load(dataDir);
      if (!current.notAfter().isBefore(config.clock().instant())) {
        return current;
      }
      Path tokenFile = config.tokenFile();
      if (tokenFile == null || !Files.isRegularFile(tokenFile)) {
        throw new ConfigException("the certificate of device " + current.device() + " expired at "
            + current.notAfter() + ": the agent must enroll again with a new one-time token (on the controller: bulwark"
            + " token create --device " + current.device() + "), given with --token-file");
      }
      TokenFile token = TokenFile.read(tokenFile);
      if (!token.device().equals(current.device())) {
        throw new ConfigException("the token in " + tokenFile + " is for device " + token.device()
            + ", but this data directory belongs to device " + current.device()
            + "; enroll another device with a data directory of its own");
      }
      log.warn("the certificate of device {} expired at {}; enrolling again with the token in {}", current.device(),
          current.notAfter(), tokenFile);
      // Kept aside, not deleted; without agent.crt the data directory counts as not enrolled, so a
      // failed attempt leaves it waiting for a token, never with a new key and the old certificate.
      try {
        Files.move(dataDir.certificate(), dataDir.expiredCertificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new ConfigException("cannot set the expired certificate aside in " + dataDir + ": " + e.getMessage());
      }
      return new Enroller(config.controller(), dataDir, channels, config.clock(), VERSION).enroll(token).identity();
    }
    if (config.tokenFile() == null) {
      throw new ConfigException(
          "not enrolled yet (no agent.crt in " + dataDir + "): --token-file is required");
    }
    return new Enroller(config.controller(), dataDir, channels, config.clock(), VERSION)
        .enroll(config.tokenFile())
        .identity();
  }

  /** Stops applying, then the stream, then the apply and link threads. Idempotent. */
  public synchronized void stop() {
    if (processor != null) {
      // First: a bundle checked now must not change the rules once nothing can confirm them.
      processor.stop();
    }
    if (link != null) {
      link.stop();
    }
    if (shared == null) {
      shutdown((ExecutorService) applyThread);
      shutdown(scheduler);
    }
    if (link != null && stopped.getCount() > 0) {
      log.info("agent stopped");
    }
    stopped.countDown();
  }

  /** Waits until the agent holds credentials; true at once after {@code start} returned. */
  public boolean awaitEnrolled(Duration timeout) throws InterruptedException {
    return enrolled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits until a stream to the controller is open on a ready channel. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    AgentLink current;
    synchronized (this) {
      current = link;
    }
    return current != null && current.awaitConnected(timeout);
  }

  /** True while a stream to the controller is open on a ready channel. */
  public boolean isConnected() {
    AgentLink current;
    synchronized (this) {
      current = link;
    }
    return current != null && current.isConnected();
  }

  /** Waits until {@code generation} or a later one is applied and verified. */
  public boolean awaitApplied(long generation, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (appliedLock) {
      while (Long.compareUnsigned(appliedState().generation(), generation) < 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(appliedLock, left);
      }
      return true;
    }
  }

  /** How many rule sets were applied from a delta and how many from full rules, since start. */
  public BundleProcessor.Counts applyCounts() {
    BundleProcessor current;
    synchronized (this) {
      current = processor;
    }
    return current == null ? new BundleProcessor.Counts(0, 0) : current.counts();
  }

  /** Reports in the outbox that the controller has not acknowledged yet. */
  public int unacknowledgedReports() {
    try {
      // The outbox in use, whose reads never race its own acknowledgements.
      StatusOutbox current = outbox;
      return (current != null ? current : new StatusOutbox(dataDir.outbox())).pending().size();
    } catch (java.io.IOException | AgentException e) {
      return -1;
    }
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** The device name from the certificate, once enrolled. */
  public Optional<String> device() {
    return Optional.ofNullable(device);
  }

  /** What is applied and verified now; {@link AppliedState#NONE} before {@code start}. */
  public AppliedState appliedState() {
    BundleProcessor current;
    synchronized (this) {
      current = processor;
    }
    return current == null ? AppliedState.NONE : current.applied();
  }

  private void applied(AppliedState state) {
    synchronized (appliedLock) {
      appliedLock.notifyAll();
    }
  }

  private Thread thread(Runnable task, String name) {
    String deviceName = device;
    Thread thread =
        new Thread(
            () -> {
              MDC.put("device", deviceName);
              task.run();
            },
            name);
    thread.setDaemon(true);
    return thread;
  }

  private static void shutdown(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      // An nft transaction in progress is allowed to finish; it is atomic either way.
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
