package io.bulwark.controller.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.cli.demo.TestNetwork;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.proto.admin.v1.Action;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.rules.nftables.NftablesGenerator;
import io.bulwark.rules.testing.StixFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What makes the agent safe to run on a firewall, with real parts: a controller, a real agent
 * process in a network namespace with real nftables. Commit-confirm heals a rule set that cuts
 * the controller off; hand edits are found as drift; a report survives SIGKILL. In order, each
 * test building on the state the previous one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentSafetyIT {
  private static final String HOST = "safe-1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path work;
  private TestNetwork net;
  private ControllerMain controller;
  private AdminClient admin;
  private AgentRun agent;
  private final BreakableGenerator generator = new BreakableGenerator(new NftablesGenerator());
  private String ns;
  private int indicator = 100;

  @BeforeAll
  void start() throws Exception {
    StrictTests.requireRootWithNft();
    work = Files.createTempDirectory("bulwark-safety-");
    Path agentJar = E2eParts.agentJar();
    net = new TestNetwork(TestNetwork.processPrefix("bws"), 200 + (int) (ProcessHandle.current().pid() % 40)).start();
    ns = net.addHost(HOST);
    Path dataDir = work.resolve("controller");
    controller = E2eParts.controllerOn(net, dataDir, generator);
    admin = AdminClient.open(dataDir);
    var token = admin.stub().createEnrollmentToken(CreateEnrollmentTokenRequest.newBuilder().setDevice(HOST).build());
    Path tokenFile = work.resolve("token");
    io.bulwark.controller.cli.TokenFiles.write(tokenFile, token);
    String controllerAddress = E2eParts.agentAddress(net, controller);
    agent = new AgentRun(ns, agentJar, work.resolve("agent.log"), List.of(
        "--controller", controllerAddress, "--token-file", tokenFile.toString(), "--data-dir", work.resolve("agent").toString(),
        "--applier", "nftables", "--confirm-window", "3s", "--drift-interval", "1s")).start();
    awaitDevice(s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 1);
  }

  @AfterAll
  void stop() {
    E2eParts.closeAll(agent, admin, controller, net);
    if (work != null) {
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
    }
  }

  @Test
  @Order(1)
  void ruleSetThatBlocksTheController_isRolledBackByTheAgent_andReportedRolledBack() throws Exception {
    generator.dropSource.set(net.gatewayAddress());
    approveNewIndicator("192.0.2.10");
    DeviceStatus d = awaitDevice(s -> s.getState().equals("failed") && s.getError().startsWith("rolled back"));
    generator.dropSource.set(null);
    assertEquals(2, d.getDesiredGeneration());
    assertEquals(1, d.getAppliedGeneration());
    assertTrue(d.getError().contains("no confirmation from the controller within 3 s"), d.getError());
    String table = nft("list", "table", "inet", "bulwark");
    assertFalse(table.contains(net.gatewayAddress()), table);
    assertFalse(table.contains("192.0.2.10"), "the previous table is back:\n" + table);

    approveNewIndicator("192.0.2.11");
    awaitDevice(s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 3);
    assertTrue(nft("list", "table", "inet", "bulwark").contains("192.0.2.11"));
  }

  @Test
  @Order(2)
  void elementAddedByHand_isReportedAsDrifted_withWhatDiffers() throws Exception {
    String set = firstSet(nft("list", "table", "inet", "bulwark"));
    nft("add", "element", "inet", "bulwark", set, "{ 203.0.113.9 }");

    DeviceStatus d = awaitDevice(s -> s.getState().equals("drifted"));

    assertTrue(d.getError().contains("203.0.113.9"), d.getError());
    assertEquals(3, d.getAppliedGeneration());
    assertTrue(nft("list", "table", "inet", "bulwark").contains("203.0.113.9"), "report-only leaves the rules alone");
  }

  @Test
  @Order(3)
  void withTheCorrectPolicy_driftIsCorrectedAtStartUp_andTheDeviceIsCompliantAgain() throws Exception {
    agent.close();
    agent.start(List.of("--drift-policy", "correct"));

    awaitDevice(s -> s.getState().equals("compliant") && !nft("list", "table", "inet", "bulwark").contains("203.0.113.9"));
    assertTrue(nft("list", "table", "inet", "bulwark").contains("192.0.2.11"));
  }

  @Test
  @Order(4)
  void reportWrittenWhileTheControllerIsCutOff_survivesSigkill_andIsDeliveredAfterRestart() throws Exception {
    String port = Integer.toString(controller.agentAddress().getPort());
    nftFile("table inet bulwarktest {\n\tchain output {\n\t\ttype filter hook output priority 0; policy accept;\n"
        + "\t\tip daddr " + net.gatewayAddress() + " tcp dport " + port + " drop\n\t}\n}\n");
    String set = firstSet(nft("list", "table", "inet", "bulwark"));
    nft("add", "element", "inet", "bulwark", set, "{ 203.0.113.10 }");

    // This test's drift: an earlier test's report may still wait for its acknowledgement.
    Path report = awaitOutboxReport("203.0.113.10");
    agent.kill();
    nft("delete", "table", "inet", "bulwarktest");
    assertTrue(Files.exists(report), "the report is still in the outbox after SIGKILL");

    agent.start();
    awaitDevice(s -> s.getState().equals("compliant") && !Files.exists(report));
  }

  private Path awaitOutboxReport(String containing) throws Exception {
    Path outbox = work.resolve("agent").resolve("outbox");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(outbox)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".report")).toList()) {
          if (Files.readString(f).contains(containing)) {
            return f;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no outbox report with " + containing + "\nagent log:\n" + agent.tail(40));
  }

  private void nftFile(String text) throws Exception {
    Path file = work.resolve("extra.nft");
    Files.writeString(file, text);
    nft("-f", file.toString());
  }

  private static String firstSet(String table) {
    var m = java.util.regex.Pattern.compile("set (\\S+_v4) \\{").matcher(table);
    assertTrue(m.find(), table);
    return m.group(1);
  }

  void approveNewIndicator(String address) {
    var r = admin.stub().ingest(IngestRequest.newBuilder().setSource("test")
        .setBundleJson(ByteString.copyFrom(StixFixtures.bundleOfJson(
            List.of(StixFixtures.indicator(indicator++, "[ipv4-addr:value = '" + address + "']"))), StandardCharsets.UTF_8))
        .build());
    assertEquals(0, r.getRejectedCount(), r.getRejectedList().toString());
    var ids = admin.stub().listIndicators(io.bulwark.proto.admin.v1.ListIndicatorsRequest.getDefaultInstance())
        .getIndicatorsList().stream().filter(i -> i.getStatus().equals("new")).map(i -> i.getId()).toList();
    admin.stub().approve(ApproveRequest.newBuilder().addAllIndicatorIds(ids).setAction(Action.ACTION_BLOCK)
        .setScope("all").build());
  }

  String nft(String... args) {
    String[] cmd = new String[args.length + 5];
    System.arraycopy(new String[] {"ip", "netns", "exec", ns, "nft"}, 0, cmd, 0, 5);
    System.arraycopy(args, 0, cmd, 5, args.length);
    return HostCommand.check(cmd);
  }

  DeviceStatus awaitDevice(Predicate<DeviceStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    DeviceStatus last = null;
    while (System.nanoTime() < deadline) {
      var devices = admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList();
      if (!devices.isEmpty()) {
        last = devices.get(0);
        if (condition.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("device did not reach the expected state; last: " + last + "\nagent log:\n" + agent.tail(40));
  }
}
