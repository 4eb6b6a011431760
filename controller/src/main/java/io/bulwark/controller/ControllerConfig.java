package io.bulwark.controller;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.domain.InvalidRequestException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The controller's validated configuration.
 *
 * @param dataDir keys, certificates, the embedded database and {@code controller.properties}
 * @param listen the address agents dial (enrollment and the agent stream)
 * @param adminListen the address of the admin API (loopback by default)
 * @param dbUrl a JDBC URL; null for the embedded H2 database in the data directory
 * @param advertise extra host names or addresses to write into the server certificate
 * @param deviceCertificateValidity lifetime of device certificates
 * @param approvalPolicy when a countermeasure needs a second approver
 * @param chase where and how often to post the chase list, or null for no reminders
 * @param chaseSla how long after approval a device may lack a countermeasure, per severity
 * @param dailyReport the compliance report written into the data directory each day, or null for none
 * @param sshParallelism how many agentless devices are pushed to or read back at once over SSH,
 *     {@value #MIN_SSH_PARALLELISM} to {@value #MAX_SSH_PARALLELISM}
 * @param handshakeRate new agent connections let through a second, see {@link
 *     io.bulwark.controller.api.HandshakeGate}
 * @param keepGenerations how many generations each device keeps below its current ones, {@value
 *     #MIN_KEEP_GENERATIONS} to {@value #MAX_KEEP_GENERATIONS}; older ones are pruned hourly
 */
public record ControllerConfig(
    Path dataDir,
    InetSocketAddress listen,
    InetSocketAddress adminListen,
    String dbUrl,
    List<String> advertise,
    Duration deviceCertificateValidity,
    ApprovalPolicy approvalPolicy,
    Chase chase,
    io.bulwark.controller.report.ChaseSla chaseSla,
    DailyReport dailyReport,
    int sshParallelism,
    int handshakeRate,
    int keepGenerations) {

  /**
   * The daily compliance report: in these formats ({@code csv}, {@code json}, {@code html},
   * {@code pdf}), under {@code reports/} in the data directory; {@code checkEvery} is how often
   * the controller looks whether the report that is due is written yet; {@code at} is the time of
   * day (UTC) from which each day's report is due, so it is written at the first check at or after
   * it, or at the first check after a downtime that spanned it.
   */
  public record DailyReport(List<String> formats, Duration checkEvery, java.time.LocalTime at) {
    public DailyReport {
      java.util.Objects.requireNonNull(at, "at");
      formats = List.copyOf(formats);
      if (formats.isEmpty()) {
        throw new InvalidRequestException("--daily-report needs at least one format: csv, json, html or pdf");
      }
      for (String f : formats) {
        if (!f.matches("csv|json|html|pdf")) {
          throw new InvalidRequestException("--daily-report format '" + f + "' is not supported: use csv, json, html or pdf");
        }
      }
      if (checkEvery.isZero() || checkEvery.isNegative()) {
        throw new InvalidRequestException("the daily report check interval must be positive");
      }
    }

    /** Due from midnight UTC. */
    public DailyReport(List<String> formats, Duration checkEvery) {
      this(formats, checkEvery, java.time.LocalTime.MIDNIGHT);
    }

    /** JSON and HTML, due from midnight UTC, looked for every 15 minutes. */
    public static final DailyReport DEFAULT = new DailyReport(List.of("json", "html"), Duration.ofMinutes(15));

    /**
     * Parses a time of day for {@code --daily-report-at}: {@code HH:MM}, 24-hour, UTC.
     *
     * @throws InvalidRequestException naming the bad value
     */
    public static java.time.LocalTime parseAt(String text) {
      if (text == null || !text.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
        throw new InvalidRequestException("--daily-report-at '" + text + "' is not a time of day: use HH:MM in UTC,"
            + " 00:00 to 23:59, for example 06:30");
      }
      return java.time.LocalTime.parse(text);
    }
  }

  /** Chase reminders: the lagging devices are posted to {@code webhook} every {@code every}. */
  public record Chase(java.net.URI webhook, Duration every) {
    public Chase {
      String scheme = webhook.getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme)) {
        throw new InvalidRequestException("--chase-webhook must be an http or https URL: " + webhook);
      }
    }
  }

  public static final int DEFAULT_PORT = 7443;

  /**
   * SSH sessions at once by default: with a slow device prompt the fleet's push time falls almost
   * linearly up to here (see the SSH benchmarks in README.md), and each session costs the
   * controller only a thread and a socket.
   */
  public static final int DEFAULT_SSH_PARALLELISM = 64;
  public static final int MIN_SSH_PARALLELISM = 1;
  public static final int MAX_SSH_PARALLELISM = 512;

  public ControllerConfig {
    advertise = List.copyOf(advertise);
    if (sshParallelism < MIN_SSH_PARALLELISM || sshParallelism > MAX_SSH_PARALLELISM) {
      throw new InvalidRequestException(sshParallelismError(sshParallelism));
    }
    if (handshakeRate < io.bulwark.controller.api.HandshakeGate.MIN_PER_SECOND
        || handshakeRate > io.bulwark.controller.api.HandshakeGate.MAX_PER_SECOND) {
      throw new InvalidRequestException(io.bulwark.controller.api.HandshakeGate.rateError(handshakeRate));
    }
    if (keepGenerations < MIN_KEEP_GENERATIONS || keepGenerations > MAX_KEEP_GENERATIONS) {
      throw new InvalidRequestException(keepGenerationsError(keepGenerations));
    }
    java.util.Objects.requireNonNull(approvalPolicy, "approvalPolicy");
    chaseSla = chaseSla == null ? io.bulwark.controller.report.ChaseSla.DEFAULT : chaseSla;
  }

  /** With the default history kept. */
  public ControllerConfig(Path dataDir, InetSocketAddress listen, InetSocketAddress adminListen, String dbUrl,
      List<String> advertise, Duration deviceCertificateValidity, ApprovalPolicy approvalPolicy, Chase chase,
      io.bulwark.controller.report.ChaseSla chaseSla, DailyReport dailyReport, int sshParallelism, int handshakeRate) {
    this(dataDir, listen, adminListen, dbUrl, advertise, deviceCertificateValidity, approvalPolicy, chase, chaseSla,
        dailyReport, sshParallelism, handshakeRate, DEFAULT_KEEP_GENERATIONS);
  }

  /** With the default handshake rate. */
  public ControllerConfig(Path dataDir, InetSocketAddress listen, InetSocketAddress adminListen, String dbUrl,
      List<String> advertise, Duration deviceCertificateValidity, ApprovalPolicy approvalPolicy, Chase chase,
      io.bulwark.controller.report.ChaseSla chaseSla, DailyReport dailyReport, int sshParallelism) {
    this(dataDir, listen, adminListen, dbUrl, advertise, deviceCertificateValidity, approvalPolicy, chase, chaseSla,
        dailyReport, sshParallelism, io.bulwark.controller.api.HandshakeGate.DEFAULT_PER_SECOND);
  }

  /** With the default SSH parallelism. */
  public ControllerConfig(Path dataDir, InetSocketAddress listen, InetSocketAddress adminListen, String dbUrl,
      List<String> advertise, Duration deviceCertificateValidity, ApprovalPolicy approvalPolicy, Chase chase,
      io.bulwark.controller.report.ChaseSla chaseSla, DailyReport dailyReport) {
    this(dataDir, listen, adminListen, dbUrl, advertise, deviceCertificateValidity, approvalPolicy, chase, chaseSla,
        dailyReport, DEFAULT_SSH_PARALLELISM);
  }

  /**
   * Generations each device keeps below its applied and desired ones by default: its compliance
   * evidence is folded in before older ones go, and the audit log keeps each one's number and
   * digest, so more only serves reports that arrive very late and deltas from older rule sets.
   */
  public static final int DEFAULT_KEEP_GENERATIONS = 20;
  public static final int MIN_KEEP_GENERATIONS = 1;
  public static final int MAX_KEEP_GENERATIONS = 1_000_000;

  /** The message for a history length out of range, naming the option and the value. */
  public static String keepGenerationsError(int value) {
    return "--keep-generations " + value + " is out of range: use " + MIN_KEEP_GENERATIONS + " to " + MAX_KEEP_GENERATIONS;
  }

  /** The message for an SSH parallelism out of range, naming the option and the value. */
  public static String sshParallelismError(int value) {
    return "--ssh-parallelism " + value + " is out of range: use " + MIN_SSH_PARALLELISM + " to " + MAX_SSH_PARALLELISM;
  }

  /** With the default chase SLAs and no daily report. */
  public ControllerConfig(Path dataDir, InetSocketAddress listen, InetSocketAddress adminListen, String dbUrl,
      List<String> advertise, Duration deviceCertificateValidity, ApprovalPolicy approvalPolicy, Chase chase) {
    this(dataDir, listen, adminListen, dbUrl, advertise, deviceCertificateValidity, approvalPolicy, chase, null, null);
  }

  /** With a single approver for every countermeasure. */
  public ControllerConfig(Path dataDir, InetSocketAddress listen, InetSocketAddress adminListen, String dbUrl,
      List<String> advertise, Duration deviceCertificateValidity) {
    this(dataDir, listen, adminListen, dbUrl, advertise, deviceCertificateValidity, ApprovalPolicy.SINGLE, null);
  }

  /**
   * Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code :PORT}, for the given option name.
   *
   * @throws InvalidRequestException naming the option and the bad value
   */
  public static InetSocketAddress parseAddress(String option, String value) {
    String host;
    String port;
    if (value.startsWith("[")) {
      int end = value.indexOf("]:");
      if (end < 0) {
        throw new InvalidRequestException(option + " '" + value + "' must be [ADDRESS]:PORT");
      }
      host = value.substring(1, end);
      port = value.substring(end + 2);
    } else {
      int colon = value.lastIndexOf(':');
      if (colon < 0 || value.indexOf(':') != colon) {
        throw new InvalidRequestException(option + " '" + value + "' must be HOST:PORT");
      }
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(option + " '" + value + "': port '" + port + "' is not a number");
    }
    if (p < 0 || p > 65535) {
      throw new InvalidRequestException(option + " '" + value + "': port must be 0 to 65535");
    }
    return host.isEmpty() ? new InetSocketAddress(p) : new InetSocketAddress(host, p);
  }
}
