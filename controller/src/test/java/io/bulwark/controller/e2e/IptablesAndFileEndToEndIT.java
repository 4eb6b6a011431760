package io.bulwark.controller.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.cli.demo.PortListener;
import io.bulwark.controller.cli.demo.TcpProbe;
import io.bulwark.controller.cli.demo.TestNetwork;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.rules.iptables.IptablesGenerator;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.testing.StixFixtures;
import io.bulwark.rules.yara.YaraGenerator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The iptables and file appliers against a real controller: one agent process applying ipset +
 * iptables rules in its network namespace, shown with real TCP traffic, and one writing YARA
 * rules into a directory with a check command, shown by real {@code yara} matching a sample. The
 * tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IptablesAndFileEndToEndIT {
  private static final String FIREWALL = "fw-1";
  private static final String SCANNER = "scan-1";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final byte[] SAMPLE = "a file the CSIRT wants found\n".getBytes(StandardCharsets.UTF_8);

  private Path work;
  private TestNetwork net;
  private ControllerMain controller;
  private AdminClient admin;
  private AgentRun firewall;
  private AgentRun scanner;
  private Process listener;
  private String firewallNs;
  private Path yaraDir;

  @BeforeAll
  void start() throws Exception {
    StrictTests.requireRootWithNft();
    for (String tool : new String[] {"ipset", "iptables-restore", "yara"}) {
      if (new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() != 0) {
        StrictTests.skipOrFail("needs " + tool);
      }
    }
    work = Files.createTempDirectory("bulwark-e2e-ipt-");
    Path agentJar = E2eParts.agentJar();
    net = new TestNetwork(TestNetwork.processPrefix("bwi"), 100 + (int) (ProcessHandle.current().pid() % 40)).start();
    firewallNs = net.addHost(FIREWALL);
    String scannerNs = net.addHost(SCANNER);
    Path dataDir = work.resolve("controller");
    controller = new ControllerMain(
        new ControllerConfig(dataDir, new InetSocketAddress(net.gatewayAddress(), 0), new InetSocketAddress("127.0.0.1", 0),
            null, List.of(), Duration.ofDays(1)),
        Clock.systemUTC(), new GeneratorRegistry(List.of(new IptablesGenerator(), new YaraGenerator()))).start();
    admin = AdminClient.open(dataDir);
    net.addRootAddress("198.51.100.7");
    listener = PortListener.startIn(firewallNs, 445, 8080);
    String controllerAddress = E2eParts.agentAddress(net, controller);
    yaraDir = Files.createDirectories(work.resolve("yara"));
    firewall = new AgentRun(firewallNs, agentJar, work.resolve("fw.log"), List.of(
        "--controller", controllerAddress, "--token-file", token(FIREWALL, "iptables").toString(),
        "--data-dir", work.resolve("fw").toString(), "--applier", "iptables")).start();
    scanner = new AgentRun(scannerNs, agentJar, work.resolve("scan.log"), List.of(
        "--controller", controllerAddress, "--token-file", token(SCANNER, "yara").toString(),
        "--data-dir", work.resolve("scan").toString(), "--applier", "file", "--file-target", "yara",
        "--file-dir", yaraDir.toString(), "--file-check", "yara -w {file} /dev/null")).start();
  }

  private Path token(String device, String target) throws Exception {
    var token = admin.stub().createEnrollmentToken(
        CreateEnrollmentTokenRequest.newBuilder().setDevice(device).setTarget(target).build());
    Path file = work.resolve(device + ".token");
    io.bulwark.controller.cli.TokenFiles.write(file, token);
    return file;
  }

  @AfterAll
  void stop() {
    E2eParts.closeAll(firewall, scanner, admin, controller, net);
    if (listener != null) {
      listener.destroyForcibly();
    }
    if (work != null) {
      io.bulwark.controller.cli.demo.Demo.deleteTree(work);
    }
  }

  @Test
  @Order(1)
  void bothAgents_enroll_andAreCompliantWithNothingToEnforce() throws Exception {
    await(FIREWALL, firewall, s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 1);
    await(SCANNER, scanner, s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 1);
    assertTrue(TcpProbe.connects(null, net.address(FIREWALL), 445, 1500), "445 must be open before any countermeasure");
  }

  @Test
  @Order(2)
  void oneApproval_reachesTheFirewallAsIpsetsAndChains_andTheScannerAsYaraRules() throws Exception {
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SAMPLE));
    ingest(StixFixtures.bundle("[ipv4-addr:value = '198.51.100.0/24']",
        "[network-traffic:dst_port = 445 AND network-traffic:protocols[*] = 'tcp']",
        "[file:hashes.'SHA-256' = '" + sha256 + "']"));
    approveAll();

    await(FIREWALL, firewall, s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 2);
    String address = net.address(FIREWALL);
    assertFalse(TcpProbe.connects(null, address, 445, 1500), "445 must be dropped by iptables");
    assertTrue(TcpProbe.connects(null, address, 8080, 1500), "the control port must still connect");
    assertFalse(TcpProbe.connects("198.51.100.7", address, 8080, 1500), "a blocked source must not reach the host");
    String sets = HostCommand.check("ip", "netns", "exec", firewallNs, "ipset", "list");
    assertTrue(sets.contains("198.51.100.0/24"), sets);

    await(SCANNER, scanner, s -> s.getState().equals("compliant") && s.getAppliedGeneration() == 2);
    Path rules;
    try (Stream<Path> files = Files.list(yaraDir)) {
      rules = files.filter(f -> f.getFileName().toString().startsWith("bulwark")).findFirst().orElseThrow();
    }
    Path sample = Files.write(work.resolve("sample.bin"), SAMPLE);
    Path other = Files.write(work.resolve("other.bin"), "harmless\n".getBytes(StandardCharsets.UTF_8));
    String hit = HostCommand.check("yara", rules.toString(), sample.toString());
    assertTrue(hit.contains(sample.toString()), "yara must match the sample: " + hit);
    assertEquals("", HostCommand.check("yara", rules.toString(), other.toString()).strip());
  }

  private void ingest(String bundle) {
    E2eParts.ingest(admin, bundle);
  }

  private void approveAll() {
    E2eParts.approveAllNew(admin);
  }

  private DeviceStatus await(String device, AgentRun agent, Predicate<DeviceStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    DeviceStatus last = null;
    while (System.nanoTime() < deadline) {
      for (DeviceStatus s : admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList()) {
        if (s.getDevice().equals(device)) {
          last = s;
          if (condition.test(s)) {
            return s;
          }
        }
      }
      assertTrue(agent.isAlive(), device + " agent exited:\n" + agent.tail(30));
      Thread.sleep(100);
    }
    throw new AssertionError(device + " did not reach the expected state; last: " + last + "\nagent log:\n" + agent.tail(30));
  }
}
