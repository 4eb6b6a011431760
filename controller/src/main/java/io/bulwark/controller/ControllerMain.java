package io.bulwark.controller;

import io.bulwark.controller.api.AdminGrpcService;
import io.bulwark.controller.api.AgentGrpcService;
import io.bulwark.controller.api.ControllerServers;
import io.bulwark.controller.api.EnrollmentGrpcService;
import io.bulwark.controller.api.SignedBundles;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.ingest.IndicatorViews;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.controller.pki.CertificateAuthority;
import io.bulwark.controller.pki.Enrollment;
import io.bulwark.controller.pki.IssuedIdentity;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcStatusSequences;
import io.bulwark.controller.store.JdbcTokenStore;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcUserStore;
import io.bulwark.controller.audit.AuditedDeviceStore;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.pki.Users;
import io.bulwark.controller.schedule.ChaseReminderJob;
import io.bulwark.controller.schedule.ControllerScheduler;
import io.bulwark.controller.schedule.ExpirySweepJob;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's composition root: builds every component with plain constructors, starts
 * them in order and stops them in reverse.
 */
public final class ControllerMain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerMain.class);
  private static final Duration SERVER_CERT_VALIDITY = Duration.ofDays(90);
  private static final Duration ADMIN_CERT_VALIDITY = Duration.ofDays(365);

  private final ControllerConfig config;
  private final Clock clock;
  private Database database;
  private ControllerServers servers;
  private AgentSessions sessions;
  private DesiredStates desiredStates;
  private ControllerScheduler scheduler;
  private io.bulwark.controller.ssh.SshExecutor ssh;
  private io.bulwark.controller.ssh.SshDelivery sshDelivery;
  private DeviceStore devices;
  private io.bulwark.controller.deliver.StatusWriter statusWriter;

  private final GeneratorRegistry generators;

  public ControllerMain(ControllerConfig config, Clock clock) {
    this(config, clock, GeneratorRegistry.load());
  }

  /** With an explicit set of rule generators instead of those found by ServiceLoader. */
  public ControllerMain(ControllerConfig config, Clock clock, GeneratorRegistry generators) {
    this.config = config;
    this.clock = clock;
    this.generators = generators;
  }

  /** Starts everything; on failure whatever started is stopped again. */
  public ControllerMain start() {
    try {
      Path dataDir = createPrivateDir(config.dataDir());
      Path pki = createPrivateDir(dataDir.resolve("pki"));
      if (config.dbUrl() == null) {
        createPrivateDir(dataDir.resolve("db"));
      }
      String url = config.dbUrl() == null ? Database.h2FileUrl(dataDir) : config.dbUrl();
      database = new Database(url, null).start();
      var jdbi = database.jdbi();
      var audit = new JdbcAuditLog(jdbi, clock);
      devices = new AuditedDeviceStore(new JdbcDeviceStore(jdbi), audit, new io.bulwark.controller.store.JdbcAtomic(jdbi));
      var indicators = new JdbcIndicatorStore(jdbi, clock);
      var countermeasures = new JdbcCountermeasureStore(jdbi);
      var tokens = new JdbcTokenStore(jdbi);
      var sequences = new JdbcStatusSequences(jdbi);

      CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, clock);
      var names = new io.bulwark.controller.pki.ServerNames(config.listen(), config.advertise());
      IssuedIdentity server = ca.issueServer(names.dnsNames(), names.addresses(), SERVER_CERT_VALIDITY);
      server.writeTo(pki.resolve("server.key"), pki.resolve("server.crt"), pki.resolve("ca.crt"));
      var users = new Users(new JdbcUserStore(jdbi), ca, clock);
      ensureAdminCredentials(ca, users);
      BundleSigner signer = BundleSigner.loadOrCreate(pki);
      var denyList = new io.bulwark.controller.pki.DeviceDenyList(jdbi);
      var secrets = io.bulwark.controller.pki.SecretBox.loadOrCreate(pki);
      var issued = new io.bulwark.controller.pki.IssuedDeviceCertificates(jdbi, ca.pin(), secrets, clock);
      var checkpoints = new io.bulwark.controller.audit.AuditCheckpoints(jdbi, audit, signer::sign, signer.publicKey(), clock);

      devices.markAllDisconnected();
      statusWriter = new io.bulwark.controller.deliver.StatusWriter(devices).start();
      sessions = new AgentSessions();
      IndicatorTerms terms = new IndicatorTerms();
      var exceptionStore = new io.bulwark.controller.store.JdbcExceptionStore(jdbi);
      var compiler = new RuleSetCompiler(countermeasures, indicators, terms, generators, exceptionStore, clock);
      var ruleInputs = new io.bulwark.controller.compile.RuleInputs(io.bulwark.controller.ssh.SshDevices.deltaTargets(), 4);
      desiredStates = new DesiredStates(devices, compiler, sessions, ruleInputs);
      var agentService = new AgentGrpcService(devices, sessions, new SignedBundles(signer, clock),
          (csr, device) -> {
            var renewed = ca.issueDevice(csr, device, config.deviceCertificateValidity());
            issued.record(device, renewed);
            return List.of(renewed, ca.certificate());
          },
          clock, statusWriter, new io.bulwark.controller.deliver.RuleDeltas(devices));
      var enrollment =
          new Enrollment(tokens, devices, ca, config.deviceCertificateValidity(), clock, (device, certificate) -> {
            // First: the stream of the certificate this one replaces gets nothing more.
            agentService.enrolledAgain(device);
            denyList.enrolled(device, certificate);
            issued.record(device, certificate);
            desiredStates.recompute(device);
          });
      var guardRails = GuardRails.withDefaults(names.addresses(), names.dnsNames());
      var approvals = new Approvals(indicators, countermeasures, devices, terms, desiredStates, guardRails,
          config.approvalPolicy(), clock);
      var correlation = new io.bulwark.controller.correlate.CorrelationIndex(jdbi);
      var reportStore = new io.bulwark.controller.store.JdbcIndicatorReportStore(jdbi);
      var allowlist = guardRails.allowlistCheck(terms);
      var stixObjects = new io.bulwark.controller.store.JdbcStixObjectStore(jdbi, clock);
      var ingestor = new BundleIngestor(indicators, stixObjects, BundleIngestor.Hook.all(correlation,
          new io.bulwark.controller.ingest.ReportRecorder(reportStore, clock)), allowlist);
      var feedStore = new io.bulwark.controller.ingest.taxii.FeedStore(jdbi);
      var feedPoller = io.bulwark.controller.ingest.taxii.FeedPoller.standard(feedStore, ingestor, audit, clock, secrets);
      var tlp = new io.bulwark.controller.ingest.TlpMarkings(stixObjects);
      var views = new IndicatorViews(indicators, countermeasures, terms, allowlist, tlp, clock);
      String configured = names.agentAddress();
      // Known only once bound when port 0 was asked for; the admin API reads it lazily.
      var bound = new java.util.concurrent.atomic.AtomicReference<>(configured);
      var adminBound = new java.util.concurrent.atomic.AtomicReference<>("");
      var owners = new io.bulwark.controller.store.JdbcDeviceOwners(jdbi);
      var intelMarkings = new io.bulwark.controller.report.IntelMarkings(indicators, tlp);
      var report = new io.bulwark.controller.report.ComplianceReport(devices, countermeasures, audit, exceptionStore,
          owners, clock);
      var sshStore = new io.bulwark.controller.store.JdbcSshDeviceStore(jdbi);
      var guardList = new io.bulwark.controller.approve.GuardList(new io.bulwark.controller.store.JdbcGuardEntries(jdbi),
          sshStore, guardRails, clock).refresh();
      ssh = new io.bulwark.controller.ssh.SshExecutor(Duration.ofSeconds(10), Duration.ofSeconds(60)).start();
      sshDelivery = new io.bulwark.controller.ssh.SshDelivery(sshStore, devices, secrets, ssh, clock,
          config.sshParallelism(), Duration.ofMinutes(5))
          .withDeltas(ruleInputs);
      var sshDevices = new io.bulwark.controller.ssh.SshDevices(sshStore, devices, secrets, clock);
      servers =
          new ControllerServers(
              config.listen(), config.adminListen(), server,
              new EnrollmentGrpcService(enrollment, signer.publicKeyDer(), sequences),
              agentService,
              new AdminGrpcService(enrollment, ingestor, views, approvals, devices, ca.pin(), bound::get, audit,
                  AdminGrpcService.userAuditCalls(users, new JdbcUserStore(jdbi), audit, adminBound::get, checkpoints,
                      new io.bulwark.controller.audit.AuditArchive(jdbi, audit, checkpoints, clock)),
                  new io.bulwark.controller.api.CountermeasureCalls(approvals, countermeasures, audit,
                      new io.bulwark.controller.approve.Exceptions(exceptionStore, countermeasures, devices, desiredStates, clock),
                      exceptionStore, new io.bulwark.controller.approve.CoursesOfAction(stixObjects, indicators))
                      .withChaseSla(config.chaseSla())
                      .withPreview(new io.bulwark.controller.approve.ImpactPreview(indicators, devices, terms,
                          generators, guardRails, config.approvalPolicy(), clock)),
                  report, intelMarkings).withSshDevices(sshDevices, name -> {
                    guardList.refresh(); // its address is protected from now on
                    desiredStates.recompute(name);
                  }).withOwners(owners, clock)
                  .withCorrelation(new io.bulwark.controller.correlate.CorrelationCalls(correlation,
                      new io.bulwark.controller.correlate.CorrelationSearch(jdbi),
                      new io.bulwark.controller.correlate.PriorityScores(jdbi, correlation, reportStore,
                          feedStore::trustBySource, clock,
                          new io.bulwark.controller.correlate.LinkedVulnerabilities(stixObjects)),
                      indicators, reportStore, feedStore::trustBySource, feedStore::severityBySource, intelMarkings))
                  .withRevocation(device -> {
                    boolean known = denyList.revoke(device, clock.instant());
                    sessions.find(device).ifPresent(s -> s.close("device " + device + " is revoked"));
                    return known;
                  })
                  .withFeeds(new io.bulwark.controller.ingest.taxii.FeedCalls(feedStore, feedPoller, audit, secrets))
                  .withGuardList(guardList, guardRails),
              users::isActive, denyList, issued::find, new io.bulwark.controller.api.HandshakeGate(config.handshakeRate()));
      servers.start();
      String boundAgent = configured.replaceAll(":\\d+$", ":" + servers.agentAddress().getPort());
      bound.set(boundAgent);
      adminBound.set(io.bulwark.controller.pki.ServerNames.hostPort(servers.adminAddress()));
      audit.append("controller", "controller.start", "", "agents dial " + boundAgent);
      new ControllerInfo(boundAgent, io.bulwark.controller.pki.ServerNames.hostPort(servers.adminAddress()), ca.pin(), ProcessHandle.current().pid())
          .writeTo(dataDir);

      // Expiry is a matter of time passing: re-evaluate the desired states regularly.
      scheduler = new ControllerScheduler().every(Duration.ofSeconds(30), new ExpirySweepJob(desiredStates,
          new io.bulwark.controller.audit.LifecycleAudit(jdbi, audit, clock)))
          .every(Duration.ofSeconds(5), new io.bulwark.controller.schedule.RolloutJob(
              new io.bulwark.controller.approve.Rollouts(countermeasures, devices, desiredStates, audit)))
          .every(Duration.ofSeconds(5), new io.bulwark.controller.schedule.SshPushJob(sshDelivery))
          .every(Duration.ofMinutes(10), new io.bulwark.controller.schedule.AuditCheckpointJob(checkpoints,
              new io.bulwark.controller.audit.AuditVerifier(audit)))
          .every(Duration.ofMinutes(1), new io.bulwark.controller.ingest.taxii.FeedPollJob(feedStore, feedPoller, clock))
          .every(Duration.ofHours(1), new io.bulwark.controller.schedule.HistoryPruneJob(devices, config.keepGenerations()));
      if (config.chase() != null) {
        // The webhook's receiver is outside the controller: TLP:RED intel stays out of what it gets.
        var chaseList = new io.bulwark.controller.report.ChaseList(report).withRedWithheld(intelMarkings);
        scheduler.every(config.chase().every(),
            new ChaseReminderJob(chaseList, config.chase().webhook(), config.chaseSla()));
      }
      if (config.dailyReport() != null) {
        scheduler.every(config.dailyReport().checkEvery(), new io.bulwark.controller.schedule.DailyReportJob(
            dataDir.resolve("reports"), config.dailyReport().formats(), config.dailyReport().at(), dailyRenderer(report, intelMarkings),
            audit, clock));
      }
      scheduler.start();
      log.info("controller started: agents dial {}, admin API on {}, CA {}, TLS {}", boundAgent,
          io.bulwark.controller.pki.ServerNames.hostPort(servers.adminAddress()), ca.pin(), ControllerServers.tlsProvider());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bound agent listener (tests ask for port 0). */
  public InetSocketAddress agentAddress() {
    return servers.agentAddress();
  }

  /** Agent connections closed so far for coming faster than {@code --handshake-rate}. */
  public long handshakesRefused() {
    return servers.handshakesRefused();
  }

  private void ensureAdminCredentials(CertificateAuthority ca, Users users) {
    var creds = ControllerInfo.AdminCredentials.in(config.dataDir());
    if (Files.exists(creds.key()) && Files.exists(creds.certificate())) {
      var cert = io.bulwark.controller.pki.PemFiles.readCertificates(creds.certificate()).get(0);
      // Credentials of an older controller carried the admin role: they are replaced by local ones.
      boolean local = io.bulwark.controller.pki.Identities.single(cert, io.bulwark.controller.pki.Identities.ROLE)
          .filter(io.bulwark.controller.api.Role.LOCAL.label()::equals).isPresent();
      if (local && cert.getNotAfter().toInstant().isAfter(clock.instant().plus(Duration.ofDays(7))) && users.isActive(cert)) {
        return;
      }
    }
    String role = io.bulwark.controller.api.Role.LOCAL.label();
    // The certificate replaced (expiring, or of the admin role) must not outlive its file.
    users.revoke("admin");
    IssuedIdentity admin = ca.issueUser("admin", role, ADMIN_CERT_VALIDITY);
    users.record(admin.certificate(), "admin", role);
    admin.writeTo(creds.key(), creds.certificate(), creds.ca());
    log.info("issued the local admin credentials in {}", creds.key().getParent());
  }

  private static Path createPrivateDir(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Stops in reverse order of start. Safe to call more than once. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.stop();
      scheduler = null;
    }
    if (sshDelivery != null) {
      sshDelivery.close();
      sshDelivery = null;
    }
    if (ssh != null) {
      ssh.close();
      ssh = null;
    }
    if (sessions != null) {
      sessions.closeAll("controller is stopping");
    }
    if (servers != null) {
      servers.stop();
      servers = null;
      ControllerInfo.remove(config.dataDir());
    }
    if (statusWriter != null) {
      statusWriter.close();
      statusWriter = null;
    }
    if (devices != null) {
      try {
        devices.markAllDisconnected();
      } catch (RuntimeException e) {
        log.warn("cannot mark devices disconnected: {}", e.getMessage());
      }
      devices = null;
    }
    if (database != null) {
      database.close();
      database = null;
    }
  }

  /**
   * Builds the compliance report once and renders it in each format asked for. The files are for
   * any reader on the controller's host: TLP:RED intel is withheld as for roles other than csirt.
   */
  static io.bulwark.controller.schedule.DailyReportJob.Renderer dailyRenderer(
      io.bulwark.controller.report.ComplianceReport report, io.bulwark.controller.report.IntelMarkings markings) {
    return formats -> {
      var built = io.bulwark.controller.api.CountermeasureCalls.report(report.build(), markings, false);
      var out = new java.util.LinkedHashMap<String, byte[]>();
      formats.forEach(f -> out.put(f, io.bulwark.controller.cli.ReportRenderer.render(f, built)));
      return out;
    };
  }
}
