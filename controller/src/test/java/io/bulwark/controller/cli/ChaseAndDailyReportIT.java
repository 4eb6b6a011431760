package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.Enroller;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.report.ChaseSla;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Severity at approval, {@code bulwark chase} against the controller's per-severity SLAs, and
 * the daily report job, and sinkhole approvals, on a real controller with an enrolled device. The
 * tests share the controller and run in order (the first expects countermeasure ids from 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaseAndDailyReportIT {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Path work;
  private ControllerMain controller;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-chase-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1), ApprovalPolicy.SINGLE, null,
        ChaseSla.DEFAULT.with(Map.of("critical", Duration.ofHours(1))),
        new ControllerConfig.DailyReport(List.of("json", "csv"), Duration.ofMillis(200))), clock).start();
    try (AdminClient admin = AdminClient.open(work)) {
      admin.stub().ingest(IngestRequest.newBuilder().setSource("it").setBundleJson(ByteString.copyFromUtf8(
          StixFixtures.bundleOfJson(List.of(StixFixtures.indicator(1, "[ipv4-addr:value = '203.0.113.77']"),
              StixFixtures.indicator(2, "[domain-name:value = 'evil.example']"))))).build());
      var token = admin.stub().createEnrollmentToken(CreateEnrollmentTokenRequest.newBuilder().setDevice("fw-1")
          .addTags("perimeter").build());
      Path tokenFile = work.resolve("fw-1.token");
      TokenFiles.write(tokenFile, token);
      new Enroller(new HostPort("127.0.0.1", controller.agentAddress().getPort()),
          new DataDir(work.resolve("agent-fw-1")), new TlsChannelFactory(), clock, "test").enroll(tokenFile);
    }
  }

  @AfterAll
  void stop() {
    if (controller != null) {
      controller.close();
    }
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  private record Run(int exit, String out) {}

  private Run run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      int exit = BulwarkCli.commandLine().execute(full);
      return new Run(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  /** The scheduler runs on real time; its job reads the test's clock. */
  private static boolean waitFor(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(file) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return Files.exists(file);
  }

  @Test
  @Order(1)
  void chase_holdsACriticalCountermeasureToTheControllersCriticalSla_andTheDailyReportIsWritten() throws Exception {
    assertEquals(2, run("approve", StixFixtures.indicatorId(1), "--action", "block", "--scope", "all",
        "--severity", "severe").exit(), "an unknown severity is a usage error");
    Run preview = run("approve", StixFixtures.indicatorId(1), "--action", "block", "--scope", "all", "--preview");
    assertEquals(0, preview.exit(), preview.out());
    assertTrue(preview.out().startsWith("devices in scope: 1; terms: 1\n"), preview.out());
    assertTrue(preview.out().contains("nftables"), preview.out());
    assertEquals("[ ]", run("countermeasure", "list", "--output", "json").out().trim(), "a preview approves nothing");
    assertEquals(2, run("approve", StixFixtures.indicatorId(1), "--action", "sinkhole", "--scope", "all").exit(),
        "a sinkhole needs --sinkhole");
    assertEquals(0, run("approve", StixFixtures.indicatorId(1), "--action", "block", "--scope", "all",
        "--severity", "critical", "--reason", "INC-9").exit());
    String listed = run("countermeasure", "list", "--output", "json").out();
    assertTrue(listed.contains("\"severity\" : \"critical\"") || listed.contains("\"severity\":\"critical\""), listed);

    assertEquals(0, run("device", "owner", "fw-1", "net-team <net@example.org>").exit());
    assertEquals(1, run("device", "owner", "no-such-device", "x").exit());
    Run early = run("chase");
    assertEquals(0, early.exit(), early.out());
    clock.advance(Duration.ofMinutes(61));
    Run late = run("chase", "--output", "json");
    assertEquals(1, late.exit(), "fw-1 never connected and is past the 1 h SLA for critical: " + late.out());
    assertTrue(late.out().contains("\"device\" : \"fw-1\"") || late.out().contains("\"device\":\"fw-1\""), late.out());
    assertTrue(late.out().contains("critical") && late.out().contains("3600"), late.out());
    assertTrue(late.out().contains("net-team <net@example.org>"), "the owner to chase: " + late.out());
    assertEquals(0, run("chase", "--sla", "critical=2h").exit(), "a longer SLA given on the command line");
    String rollout = run("rollout", "status", "1").out();
    assertTrue(rollout.startsWith("countermeasure 1 (active, critical, scope all): 0 of 1 devices compliant (1 enrolled)"),
        rollout);
    assertTrue(rollout.contains("net-team <net@example.org>"), rollout);
    assertEquals(1, run("chase", "--after", "30m").exit(), "one deadline for every severity");
    assertEquals(2, run("chase", "--sla", "urgent=1h").exit());

    assertEquals(0, run("approve", StixFixtures.indicatorId(1), "--action", "alert", "--scope", "all",
        "--severity", "low").exit());
    assertTrue(run("countermeasure", "list").out().contains("low"), "the alert countermeasure is listed");
    String report = run("report", "compliance", "--format", "csv").out();
    assertTrue(report.contains("severity") && report.contains("critical"), report);
    String elsewhere = run("report", "compliance", "--format", "csv", "--scope", "tag:core", "--since", "2026-12-01").out();
    assertTrue(!elsewhere.contains("fw-1") && elsewhere.contains(",active,critical,all,0,0,"), elsewhere);
    assertEquals(2, run("report", "compliance", "--since", "2026-13-01").exit());

    Path reports = work.resolve("reports");
    assertTrue(waitFor(reports.resolve("compliance-2026-12-04.csv")), "today's report was written soon after start");
    assertTrue(Files.readString(reports.resolve("compliance-2026-12-04.json")).contains("audit_head"));
    clock.advance(Duration.ofDays(1));
    assertTrue(waitFor(reports.resolve("compliance-2026-12-05.csv")), "the next day's report follows at the next run");
    String json = Files.readString(reports.resolve("compliance-2026-12-05.json"));
    assertTrue(json.contains("\"device\" : \"fw-1\"") && json.contains("\"severity\" : \"critical\""), json);
    String audit = run("audit", "list").out();
    assertTrue(audit.contains("report.daily"), audit);
  }

  @Test
  @Order(2)
  void approve_sinkhole_isCheckedPreviewedStoredListedReportedAndAudited() {
    String domain = StixFixtures.indicatorId(2);
    assertEquals(2, run("approve", domain, "--action", "block", "--sinkhole", "192.0.2.10", "--scope", "tag:none").exit(),
        "--sinkhole goes with --action sinkhole only");
    assertEquals(1, run("approve", domain, "--action", "sinkhole", "--sinkhole", "bad_name.example", "--scope",
        "tag:none").exit(), "not a host name");
    assertEquals(1, run("approve", StixFixtures.indicatorId(1), "--action", "sinkhole", "--sinkhole", "192.0.2.10",
        "--scope", "tag:none").exit(), "an address alone has nothing to sinkhole");
    Run preview = run("approve", domain, "--action", "sinkhole", "--sinkhole", "192.0.2.10", "--scope", "tag:none",
        "--preview");
    assertEquals(0, preview.exit(), preview.out());
    assertTrue(preview.out().startsWith("devices in scope: 0; terms: 1; names go to the sinkhole 192.0.2[.]10\n"),
        preview.out());

    Run approved = run("approve", domain, "--action", "sinkhole", "--sinkhole", "Sinkhole.Example.NET", "--scope",
        "tag:none", "--reason", "INC-10");
    assertEquals(0, approved.exit(), approved.out());
    String listed = run("countermeasure", "list", "--output", "json").out().replace(" : ", ":");
    assertTrue(listed.contains("\"action\":\"sinkhole\",\n  \"sinkhole\":\"sinkhole.example[.]net\"")
        || listed.contains("\"sinkhole\":\"sinkhole.example[.]net\""), listed);
    assertTrue(run("countermeasure", "list").out().contains("sinkhole.example[.]net"), "the table shows it too");
    String csv = run("report", "compliance", "--format", "csv").out();
    assertTrue(csv.contains(",sinkhole,sinkhole.example[.]net,1,0,"), csv);
    String audit = run("audit", "list", "--output", "json").out();
    assertTrue(audit.contains("action sinkhole, sinkhole sinkhole.example") , audit);
  }
}
