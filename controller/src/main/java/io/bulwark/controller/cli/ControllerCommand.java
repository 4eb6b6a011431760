package io.bulwark.controller.cli;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.domain.BulwarkException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bulwark controller}: runs the controller until it is stopped. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the controller until stopped.",
      "On first start it creates its CA, server certificate, local admin credentials and",
      "(without --db-url) an embedded H2 database in the data directory."
    })
final class ControllerCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:7443",
      description = "Where agents dial: enrollment and the agent stream (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--admin-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
      description = "Where the admin API listens (default: loopback, a free port; the CLI finds it).")
  String adminListen;

  @Option(names = "--db-url", paramLabel = "JDBC_URL",
      description = "A JDBC URL (H2 or PostgreSQL); default: embedded H2 in the data directory.")
  String dbUrl;

  @Option(names = "--advertise", paramLabel = "NAME", split = ",",
      description = "Host names or addresses agents use to reach this controller, added to its certificate.")
  List<String> advertise = new ArrayList<>();

  @Option(names = "--device-cert-validity", paramLabel = "DURATION", defaultValue = "24h",
      description = "Lifetime of device certificates (default: ${DEFAULT-VALUE}); agents renew them at about two thirds of it.")
  String deviceCertValidity;

  @Option(names = "--second-approver-for-all",
      description = "Countermeasures with scope 'all' need a second, different approver before they are pushed.")
  boolean secondApproverForAll;

  @Option(names = "--second-approver-over", paramLabel = "N", defaultValue = "-1",
      description = "Countermeasures covering more than N devices need a second approver (default: never).")
  int secondApproverOver;

  @Option(names = "--chase-webhook", paramLabel = "URL",
      description = "POST the list of lagging devices (JSON) to this URL when some device lags.")
  java.net.URI chaseWebhook;

  @Option(names = "--chase-every", defaultValue = "15m", paramLabel = "DURATION",
      description = "How often to check for lagging devices (default: ${DEFAULT-VALUE}).")
  String chaseEvery;

  @Option(names = "--sla", paramLabel = "SEVERITY=DURATION", split = ",",
      description = {"How long after approval a device may lack a countermeasure of that severity before it is",
          "chased, for example critical=4h,high=1d (defaults: critical=4h, high=24h, medium=3d, low=7d)."})
  List<String> sla = new ArrayList<>();

  @Option(names = "--daily-report", paramLabel = "FORMATS", split = ",", defaultValue = "json,html",
      description = {"Write the compliance report into DATA_DIR/reports once a day in these formats",
          "(csv, json, html, pdf; default: ${DEFAULT-VALUE}), or 'none'."})
  List<String> dailyReport;

  @Option(names = "--daily-report-at", paramLabel = "HH:MM", defaultValue = "00:00",
      description = {"The time of day (UTC) from which each day's report is due (default: ${DEFAULT-VALUE}); it is",
          "written at the first check after it (every 15 minutes), or after a downtime that spanned it."})
  String dailyReportAt;

  @Option(names = "--ssh-parallelism", paramLabel = "N", defaultValue = "" + ControllerConfig.DEFAULT_SSH_PARALLELISM,
      description = {"How many agentless devices are pushed to or read back at once over SSH, 1 to 512",
          "(default: ${DEFAULT-VALUE}); each device still gets one session at a time."})
  int sshParallelism;

  @Option(names = "--handshake-rate", paramLabel = "N",
      defaultValue = "" + io.bulwark.controller.api.HandshakeGate.DEFAULT_PER_SECOND,
      description = {"At most this many new agent connections a second start a TLS handshake (default:",
          "${DEFAULT-VALUE}); faster ones are closed at once and the agents retry after a jittered backoff,",
          "so a fleet reconnecting after a restart cannot overload the controller."})
  int handshakeRate;

  @Option(names = "--keep-generations", paramLabel = "N", defaultValue = "" + ControllerConfig.DEFAULT_KEEP_GENERATIONS,
      description = {"Each device keeps this many generations below its applied and desired ones",
          "(default: ${DEFAULT-VALUE}, 1 to 1000000); older ones are forgotten every hour, once when each",
          "countermeasure was first applied is kept for compliance reports. The audit log keeps each",
          "generation's number and digest."})
  int keepGenerations;

  @Override
  public Integer call() throws InterruptedException {
    ControllerMain controller = new ControllerMain(config(), Clock.systemUTC()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      controller.close();
      stopped.countDown();
    }, "bulwark-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The configuration the parsed options describe.
   *
   * @throws BulwarkException.Usage naming the first bad option
   */
  ControllerConfig config() {
    if (sshParallelism < ControllerConfig.MIN_SSH_PARALLELISM || sshParallelism > ControllerConfig.MAX_SSH_PARALLELISM) {
      throw new BulwarkException.Usage(ControllerConfig.sshParallelismError(sshParallelism));
    }
    if (handshakeRate < io.bulwark.controller.api.HandshakeGate.MIN_PER_SECOND
        || handshakeRate > io.bulwark.controller.api.HandshakeGate.MAX_PER_SECOND) {
      throw new BulwarkException.Usage(io.bulwark.controller.api.HandshakeGate.rateError(handshakeRate));
    }
    if (keepGenerations < ControllerConfig.MIN_KEEP_GENERATIONS || keepGenerations > ControllerConfig.MAX_KEEP_GENERATIONS) {
      throw new BulwarkException.Usage(ControllerConfig.keepGenerationsError(keepGenerations));
    }
    java.time.LocalTime reportAt;
    try {
      reportAt = ControllerConfig.DailyReport.parseAt(dailyReportAt);
    } catch (io.bulwark.controller.domain.InvalidRequestException e) {
      throw new BulwarkException.Usage(e.getMessage());
    }
    return new ControllerConfig(
            dataDir.get(),
            ControllerConfig.parseAddress("--listen", listen),
            ControllerConfig.parseAddress("--admin-listen", adminListen),
            dbUrl,
            advertise,
            Durations.parse("--device-cert-validity", deviceCertValidity),
            new io.bulwark.controller.approve.ApprovalPolicy(secondApproverForAll, secondApproverOver),
            chaseWebhook == null ? null : new ControllerConfig.Chase(chaseWebhook,
                Durations.parse("--chase-every", chaseEvery)),
            io.bulwark.controller.report.ChaseSla.DEFAULT.with(Durations.perSeverity("--sla", sla)),
            dailyReport.equals(List.of("none")) ? null
                : new ControllerConfig.DailyReport(dailyReport, ControllerConfig.DailyReport.DEFAULT.checkEvery(),
                    reportAt),
            sshParallelism,
            handshakeRate,
            keepGenerations);
  }
}
