package io.bulwark.controller.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.demo.AgentProcess;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.cli.demo.PortListener;
import io.bulwark.controller.cli.demo.TcpProbe;
import io.bulwark.controller.cli.demo.TestNetwork;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.rules.nftables.NftablesGenerator;
import io.bulwark.rules.testing.StixFixtures;
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
 * The whole path with real parts: a controller, a real agent process in a network namespace
 * applying real nftables rules, and real TCP traffic to show what the rules do. The tests run
 * in order, each building on the state the previous one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NftablesEndToEndIT {
  private static final String HOST = "edge-1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Path work;
  private TestNetwork net;
  private ControllerMain controller;
  private AdminClient admin;
  private AgentProcess agent;
  private Process listener;
  private final BreakableGenerator generator = new BreakableGenerator(new NftablesGenerator());
  private String ns;
  private String address;

  @BeforeAll
  void start() throws Exception {
    StrictTests.requireRootWithNft();
    work = Files.createTempDirectory("bulwark-e2e-");
    Path agentJar = E2eParts.agentJar();
    net = new TestNetwork(TestNetwork.processPrefix("bwe"), 150 + (int) (ProcessHandle.current().pid() % 40)).start();
    ns = net.addHost(HOST);
    address = net.address(HOST);
    Path dataDir = work.resolve("controller");
    controller = E2eParts.controllerOn(net, dataDir, generator);
    admin = AdminClient.open(dataDir);
    // After the controller started, so the guard rails do not see it as the controller's own.
    net.addRootAddress("198.51.100.7");
    listener = PortListener.startIn(ns, 445, 8080);
    var token = admin.stub().createEnrollmentToken(CreateEnrollmentTokenRequest.newBuilder().setDevice(HOST).build());
    Path tokenFile = work.resolve("token");
    io.bulwark.controller.cli.TokenFiles.write(tokenFile, token);
    String controllerAddress = E2eParts.agentAddress(net, controller);
    agent = AgentProcess.start(ns, agentJar, controllerAddress, tokenFile, work.resolve("agent"), work.resolve("agent.log"));
  }

  @AfterAll
  void stop() {
    E2eParts.closeAll(agent, admin, controller, net);
    if (listener != null) {
      listener.destroyForcibly();
    }
    if (work != null) {
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
    }
  }

  @Test
  @Order(1)
  void enrolledAgent_becomesCompliantWithAnEmptyTable_andTokenFileIsGone() throws Exception {
    DeviceStatus d = awaitDevice(s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 1);
    assertEquals(1, d.getDesiredGeneration());
    assertTrue(nft("list", "table", "inet", "bulwark").contains("chain input"));
    assertFalse(Files.exists(work.resolve("token")), "token file must be deleted after enrollment");
    assertTrue(TcpProbe.connects(null, address, 445, 1500), "445 must be open before any countermeasure");
  }

  @Test
  @Order(2)
  void approval_isAppliedAsGenerationTwo_andTheTrafficIsDropped() throws Exception {
    ingest(StixFixtures.bundle("[ipv4-addr:value = '198.51.100.0/24']",
        "[network-traffic:dst_port = 445 AND network-traffic:protocols[*] = 'tcp']"));
    approveAll();
    awaitDevice(s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 2);
    String table = nft("list", "table", "inet", "bulwark");
    assertTrue(table.contains("198.51.100.0/24"), table);
    assertFalse(TcpProbe.connects(null, address, 445, 1500), "445 must be dropped");
    assertTrue(TcpProbe.connects(null, address, 8080, 1500), "the control port must still connect");
    assertFalse(TcpProbe.connects("198.51.100.7", address, 8080, 1500), "a blocked source must not reach the host");
  }

  @Test
  @Order(3)
  void secondApproval_isAppliedAsANewGeneration() throws Exception {
    ingest(StixFixtures.bundleOfJson(List.of(StixFixtures.indicator(10, "[ipv4-addr:value = '192.0.2.99']"))));
    approveAll();
    awaitDevice(s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 3);
    assertTrue(nft("list", "table", "inet", "bulwark").contains("192.0.2.99"));
  }

  @Test
  @Order(4)
  void ruleSetRefusedByNft_leavesThePreviousRulesAndShowsFailedWithNftsMessage() throws Exception {
    generator.broken.set(true);
    ingest(StixFixtures.bundleOfJson(List.of(StixFixtures.indicator(11, "[ipv4-addr:value = '192.0.2.100']"))));
    approveAll();
    DeviceStatus d = awaitDevice(s -> s.getState().equals("failed"));
    assertEquals(4, d.getDesiredGeneration());
    assertEquals(3, d.getAppliedGeneration());
    assertTrue(d.getError().contains("no_such_set"), d.getError());
    String table = nft("list", "table", "inet", "bulwark");
    assertTrue(table.contains("192.0.2.99") && !table.contains("192.0.2.100"), table);
    assertFalse(TcpProbe.connects(null, address, 445, 1500), "the previous rules must still drop 445");
    generator.broken.set(false);
  }

  private void ingest(String bundle) {
    E2eParts.ingest(admin, bundle);
  }

  private void approveAll() {
    E2eParts.approveAllNew(admin);
  }

  private String nft(String... args) {
    String[] cmd = new String[args.length + 5];
    System.arraycopy(new String[] {"ip", "netns", "exec", ns, "nft"}, 0, cmd, 0, 5);
    System.arraycopy(args, 0, cmd, 5, args.length);
    return HostCommand.check(cmd);
  }

  private DeviceStatus awaitDevice(Predicate<DeviceStatus> condition) throws InterruptedException {
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
      assertTrue(agent.isAlive(), "agent exited:\n" + agent.tail(30));
      Thread.sleep(100);
    }
    throw new AssertionError("device did not reach the expected state; last: " + last + "\nagent log:\n" + agent.tail(30));
  }
}
