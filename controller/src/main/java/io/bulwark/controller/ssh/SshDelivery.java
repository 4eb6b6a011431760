package io.bulwark.controller.ssh;

import io.bulwark.controller.compile.RuleInputs;
import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.SshDeviceStore;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.rules.spi.GenerationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings agentless devices to their desired state over SSH, tracked exactly like agents: each
 * pass pushes to the devices that lag and re-reads the others now and then, at most
 * {@code parallelism} at a time and one at a time per device, backing off after failures.
 * Thread-safe.
 */
public final class SshDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SshDelivery.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  private final SshDeviceStore sshDevices;
  private final DeviceStore devices;
  private final SecretBox secrets;
  private final SshExecutor ssh;
  private final Clock clock;
  private final Duration verifyEvery;
  private final ExecutorService pool;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastVerified = new ConcurrentHashMap<>();
  private final Map<String, PlatformDriver> drivers;
  private volatile RuleInputs inputs = RuleInputs.none();

  public SshDelivery(SshDeviceStore sshDevices, DeviceStore devices, SecretBox secrets, SshExecutor ssh, Clock clock,
      int parallelism, Duration verifyEvery) {
    this(sshDevices, devices, secrets, ssh, clock, parallelism, verifyEvery, SshDevices.drivers());
  }

  /**
   * As above, with the driver for each platform name given.
   *
   * @param parallelism the most devices worked on at once, at least 1: one thread and one SSH
   *     session each, the rest wait in the pool's queue (at most one entry per device)
   */
  public SshDelivery(SshDeviceStore sshDevices, DeviceStore devices, SecretBox secrets, SshExecutor ssh, Clock clock,
      int parallelism, Duration verifyEvery, Map<String, PlatformDriver> drivers) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("SSH parallelism must be at least 1, was " + parallelism);
    }
    this.drivers = Map.copyOf(drivers);
    this.sshDevices = sshDevices;
    this.devices = devices;
    this.secrets = secrets;
    this.ssh = ssh;
    this.clock = clock;
    this.verifyEvery = verifyEvery;
    ThreadPoolExecutor executor = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "bulwark-ssh");
          t.setDaemon(true);
          return t;
        });
    // A large bound should not keep hundreds of idle threads between passes.
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /**
   * Pushes deltas where the generation a device holds and the one it should hold are both in
   * {@code inputs} and its platform renders deltas; full sections otherwise. Call before use.
   */
  public SshDelivery withDeltas(RuleInputs inputs) {
    this.inputs = inputs;
    return this;
  }

  /** Starts the work due now; returns the devices it started on. */
  public List<String> runOnce() {
    Instant now = clock.instant();
    List<String> started = new ArrayList<>();
    for (SshDeviceStore.SshDevice s : sshDevices.list()) {
      if (now.isBefore(notBefore.getOrDefault(s.name(), Instant.MIN)) || !inFlight.add(s.name())) {
        continue;
      }
      // Read once claimed: a push that ended just before has recorded its outcome by now, and
      // is not started again on the state read before it ended.
      Device d = devices.find(s.name()).orElse(null);
      boolean lagging = d != null && !d.isCompliant();
      boolean verifyDue = d != null && now.isAfter(lastVerified.getOrDefault(s.name(), Instant.MIN).plus(verifyEvery));
      if (!lagging && !verifyDue) {
        inFlight.remove(s.name());
      } else {
        started.add(s.name());
        pool.execute(() -> {
          try {
            deliver(s);
          } finally {
            inFlight.remove(s.name());
          }
        });
      }
    }
    return started;
  }

  /** Brings one device to its desired state now, on the calling thread. */
  public void deliver(SshDeviceStore.SshDevice s) {
    DesiredState desired = devices.currentDesired(s.name()).orElse(null);
    if (desired == null) {
      return;
    }
    PlatformDriver driver = drivers.get(s.platform());
    if (driver == null) {
      report(s.name(), desired, ApplyReport.Outcome.FAILED, "no driver for platform '" + s.platform() + "'");
      failed(s.name());
      return;
    }
    boolean confirm = HostKeys.isFingerprint(s.hostKey());
    byte[] password = SshDevices.password(secrets, s);
    SshTarget target = new SshTarget(s.host(), s.port(), s.user(), secrets.open(s.sealedKey(), s.name()),
        confirm ? null : HostKeys.parse(s.hostKey()), confirm ? s.hostKey().trim() : null, password);
    if (password != null) {
      java.util.Arrays.fill(password, (byte) 0);
    }
    PlatformDriver.Sessions sessions = confirm ? () -> pin(s, ssh.open(target)) : () -> ssh.open(target);
    try {
      Device d = devices.find(s.name()).orElseThrow();
      if (d.isCompliant()) {
        PlatformDriver.Outcome check;
        try (SshExecutor.Session session = sessions.open()) {
          devices.markConnected(s.name(), true, clock.instant());
          check = driver.verify(session, desired.rules());
        }
        if (check instanceof PlatformDriver.Applied) {
          lastVerified.put(s.name(), clock.instant());
          succeeded(s.name());
          return;
        }
        log.warn("device {} drifted from generation {}: re-applying", s.name(), desired.generation());
      }
      report(s.name(), desired, ApplyReport.Outcome.APPLYING, "");
      PlatformDriver.Outcome outcome = driver.push(sessions, desired.rules(), delta(s, d, desired));
      devices.markConnected(s.name(), true, clock.instant());
      if (outcome instanceof PlatformDriver.Failed f) {
        report(s.name(), desired, ApplyReport.Outcome.FAILED, f.output());
        failed(s.name());
        log.warn("device {}: push of generation {} failed", s.name(), desired.generation());
      } else {
        report(s.name(), desired, ApplyReport.Outcome.APPLIED, "");
        lastVerified.put(s.name(), clock.instant());
        succeeded(s.name());
      }
    } catch (HostKeyMismatchException e) {
      devices.markConnected(s.name(), true, clock.instant());
      report(s.name(), desired, ApplyReport.Outcome.FAILED, e.getMessage());
      failed(s.name());
      log.error("device {}: {}", s.name(), e.getMessage());
    } catch (BulwarkException e) {
      devices.markConnected(s.name(), false, clock.instant());
      failed(s.name());
      log.warn("device {} unreachable: {}", s.name(), e.getMessage());
    }
  }

  /** The change from the generation the device last applied to {@code desired}, when both are known. */
  private PlatformDriver.Delta delta(SshDeviceStore.SshDevice s, Device d, DesiredState desired) {
    long applied = d.report().appliedGeneration();
    var render = SshDevices.deltas().get(s.platform());
    if (render == null || applied < 1 || applied == desired.generation()) {
      return null;
    }
    var from = inputs.find(s.name(), applied);
    var to = inputs.find(s.name(), desired.generation());
    if (from.isEmpty() || to.isEmpty() || !to.get().rules().equals(desired.rules())) {
      return null;
    }
    if (render.apply(from.get().input(), to.get().input()) instanceof GenerationResult.Rules delta) {
      return new PlatformDriver.Delta(from.get().rules(), delta.text());
    }
    return null;
  }

  /** Pins the key a server presented once its fingerprint matched the one to confirm. */
  private SshExecutor.Session pin(SshDeviceStore.SshDevice s, SshExecutor.Session session) {
    SshDeviceStore.SshDevice current = sshDevices.find(s.name()).orElse(s);
    // Pin only what was confirmed: the fingerprint may have been changed by the operator meanwhile.
    if (current.hostKey().trim().equals(s.hostKey().trim())) {
      sshDevices.put(current.withHostKey(HostKeys.text(session.serverKey())));
      log.info("device {}: host key {} confirmed on first contact and pinned", s.name(),
          HostKeys.fingerprint(session.serverKey()));
    }
    return session;
  }

  private void report(String name, DesiredState desired, ApplyReport.Outcome outcome, String error) {
    Device d = devices.find(name).orElseThrow();
    boolean applied = outcome == ApplyReport.Outcome.APPLIED;
    devices.recordReport(name, new ApplyReport(
        applied ? desired.generation() : d.report().appliedGeneration(),
        applied ? desired.digest() : d.report().appliedDigest(),
        desired.generation(), outcome, error, clock.instant()));
  }

  private void succeeded(String name) {
    failures.remove(name);
    notBefore.remove(name);
  }

  private void failed(String name) {
    int n = failures.merge(name, 1, Integer::sum);
    long factor = 1L << Math.min(n - 1, 16);
    Duration wait = FIRST_BACKOFF.multipliedBy(factor);
    notBefore.put(name, clock.instant().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
