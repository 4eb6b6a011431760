package io.bulwark.controller.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.cli.demo.Demo;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.cli.demo.TcpProbe;
import io.bulwark.controller.cli.demo.TestNetwork;
import io.bulwark.controller.testing.StrictTests;
import io.bulwark.rules.nftables.NftablesGenerator;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A real OpenSSH sshd in a network namespace, driven by the controller's SSH path with a pinned host key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxNftablesOverSshIT {
  private static final int PORT = 2222;
  private Path work;
  private TestNetwork net;
  private Process sshd;
  private String ns;
  private String address;
  private SshExecutor ssh;
  private SshTarget target;

  @BeforeAll
  void start() throws Exception {
    StrictTests.requireRootWithNft();
    if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
      StrictTests.skipOrFail("needs OpenSSH's sshd (apt-get install -y openssh-server)");
    }
    work = Files.createTempDirectory("bulwark-ssh-");
    net = new TestNetwork(TestNetwork.processPrefix("bws"), 100 + (int) (ProcessHandle.current().pid() % 40)).start();
    ns = net.addHost("gear");
    address = net.address("gear");
    keygen(work.resolve("host_key"));
    keygen(work.resolve("client_key"));
    Files.copy(work.resolve("client_key.pub"), work.resolve("authorized_keys"));
    Files.createDirectories(Path.of("/run/sshd"));
    Files.writeString(work.resolve("sshd_config"), String.join("\n",
        "Port " + PORT, "ListenAddress " + address, "HostKey " + work.resolve("host_key"),
        "PidFile " + work.resolve("sshd.pid"), "AuthorizedKeysFile " + work.resolve("authorized_keys"),
        "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "UsePAM no", "StrictModes no", "") );
    sshd = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f", work.resolve("sshd_config").toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("sshd.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!TcpProbe.connects(null, address, PORT, 300)) {
      assertTrue(System.nanoTime() < deadline && sshd.isAlive(), "sshd did not start: " + Files.readString(work.resolve("sshd.log")));
      Thread.sleep(100);
    }
    ssh = new SshExecutor(Duration.ofSeconds(10), Duration.ofSeconds(30)).start();
    target = new SshTarget(address, PORT, "root", Files.readAllBytes(work.resolve("client_key")), pinned(work.resolve("host_key.pub")));
  }

  @AfterAll
  void stop() {
    if (ssh != null) {
      ssh.close();
    }
    if (sshd != null) {
      sshd.destroyForcibly();
    }
    if (net != null) {
      net.close();
    }
    if (work != null) {
      Demo.deleteTree(work);
    }
  }

  @Test
  void push_replacesOnlyItsTable_andReadsItBackEqual() {
    HostCommand.check("ip", "netns", "exec", ns, "nft", "add", "table", "inet", "other");
    try (var session = ssh.open(target)) {
      assertApplied(new LinuxNftablesDriver().push(session, rules("198.51.100.0/24")));
    }
    String table = HostCommand.check("ip", "netns", "exec", ns, "nft", "list", "ruleset");
    assertTrue(table.contains("198.51.100.0/24") && table.contains("table inet other"), table);
  }

  @Test
  void pushRefusedByNft_leavesThePreviousTable_andReturnsNftsMessage() {
    try (var session = ssh.open(target)) {
      var driver = new LinuxNftablesDriver();
      assertApplied(driver.push(session, rules("203.0.113.0/24")));
      String broken = rules("192.0.2.0/24").replaceFirst("(chain input \\{\\n[^\\n]*\\n)", "$1\t\tip saddr @no_such_set drop\n");
      var outcome = driver.push(session, broken);
      var failed = assertInstanceOf(LinuxNftablesDriver.Failed.class, outcome);
      assertTrue(failed.output().contains("no_such_set"), failed.output());
    }
    String table = HostCommand.check("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "bulwark");
    assertTrue(table.contains("203.0.113.0/24") && !table.contains("192.0.2.0/24"), table);
  }

  @Test
  void serverWithAnotherHostKey_isRefusedBeforeAnythingIsSent() throws Exception {
    keygen(work.resolve("other_key"));
    var wrong = new SshTarget(address, PORT, "root", Files.readAllBytes(work.resolve("client_key")), pinned(work.resolve("other_key.pub")));
    var e = assertThrows(HostKeyMismatchException.class, () -> ssh.open(wrong));
    assertTrue(e.getMessage().contains(HostKeys.fingerprint(target.hostKey())), e.getMessage());
    assertFalse(e.getMessage().contains("BEGIN"), "no key material in errors");
  }

  @Test
  void delivery_bringsTheDeviceToCompliant_thenRepairsDriftOnReadBack() throws Exception {
    var clock = io.bulwark.controller.testing.MutableClock.at("2026-12-04T10:00:00Z");
    try (var db = io.bulwark.controller.testing.TestDatabases.freshH2()) {
      var devices = new io.bulwark.controller.store.JdbcDeviceStore(db.jdbi());
      var indicators = new io.bulwark.controller.store.JdbcIndicatorStore(db.jdbi(), clock);
      var countermeasures = new io.bulwark.controller.store.JdbcCountermeasureStore(db.jdbi());
      var terms = new io.bulwark.controller.compile.IndicatorTerms();
      var desired = new io.bulwark.controller.deliver.DesiredStates(devices, new io.bulwark.controller.compile.RuleSetCompiler(
          countermeasures, indicators, terms, io.bulwark.rules.spi.GeneratorRegistry.load(), clock),
          new io.bulwark.controller.deliver.AgentSessions());
      var approvals = new io.bulwark.controller.approve.Approvals(indicators, countermeasures, devices, terms, desired,
          io.bulwark.controller.approve.GuardRails.withDefaults(List.of()), io.bulwark.controller.approve.ApprovalPolicy.SINGLE, clock);
      var secrets = io.bulwark.controller.pki.SecretBox.random();
      var store = new io.bulwark.controller.store.JdbcSshDeviceStore(db.jdbi());
      String[] hostKey = Files.readString(work.resolve("host_key.pub")).trim().split("\\s+");
      new SshDevices(store, devices, secrets, clock).add("gear-1", address, PORT, "root", "linux-nftables",
          hostKey[0] + " " + hostKey[1], Files.readAllBytes(work.resolve("client_key")), List.of("perimeter"));
      assertTrue(!store.find("gear-1").orElseThrow().sealedKey().contains("PRIVATE"), "the key is sealed at rest");
      String id = "indicator--00000000-0000-4000-8000-0000000000b1";
      indicators.offer(new io.bulwark.controller.domain.StoredIndicator(id, clock.instant(), "scanner",
          "[ipv4-addr:value = '203.0.113.44']", "stix", clock.instant(), null, false, "test", "{}"));
      approvals.approve(List.of(id), io.bulwark.controller.domain.Countermeasure.Action.BLOCK,
          io.bulwark.controller.domain.Scope.parse("all"), null, "", "", "alice");
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, 2, Duration.ofMinutes(5))) {
        delivery.deliver(store.find("gear-1").orElseThrow());
        var d = devices.find("gear-1").orElseThrow();
        assertEquals(io.bulwark.controller.domain.DeviceState.COMPLIANT, d.state(), d.report().error());
        assertTrue(HostCommand.check("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "bulwark").contains("203.0.113.44"));
        HostCommand.check("ip", "netns", "exec", ns, "nft", "add", "element", "inet", "bulwark", "cm1_v4", "{ 192.0.2.250 }");
        delivery.deliver(store.find("gear-1").orElseThrow());
        String after = HostCommand.check("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "bulwark");
        assertTrue(after.contains("203.0.113.44") && !after.contains("192.0.2.250"), "drift repaired: " + after);
      }
    }
  }

  private static void assertApplied(LinuxNftablesDriver.Outcome outcome) {
    if (outcome instanceof LinuxNftablesDriver.Failed f) {
      throw new AssertionError("push failed: " + f.output());
    }
  }

  private static String rules(String cidr) {
    IpPrefix p = ((TermParse.Valid<IpPrefix>) IpPrefix.parse(cidr)).term();
    var result = new NftablesGenerator().generate(new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, List.of(p)))));
    return ((GenerationResult.Rules) result).text();
  }

  private static void keygen(Path file) throws Exception {
    Files.deleteIfExists(file);
    Files.deleteIfExists(Path.of(file + ".pub"));
    HostCommand.check("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", file.toString());
  }

  private static java.security.PublicKey pinned(Path pub) throws Exception {
    String[] parts = Files.readString(pub).trim().split("\\s+");
    return HostKeys.parse(parts[0] + " " + parts[1]);
  }
}
