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
    target = new SshTarget(address, PORT, "root", work.resolve("client_key"), pinned(work.resolve("host_key.pub")));
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
      assertInstanceOf(LinuxNftablesDriver.Applied.class, new LinuxNftablesDriver().push(session, rules("198.51.100.0/24")));
    }
    String table = HostCommand.check("ip", "netns", "exec", ns, "nft", "list", "ruleset");
    assertTrue(table.contains("198.51.100.0/24") && table.contains("table inet other"), table);
  }

  @Test
  void pushRefusedByNft_leavesThePreviousTable_andReturnsNftsMessage() {
    try (var session = ssh.open(target)) {
      var driver = new LinuxNftablesDriver();
      assertInstanceOf(LinuxNftablesDriver.Applied.class, driver.push(session, rules("203.0.113.0/24")));
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
    var wrong = new SshTarget(address, PORT, "root", work.resolve("client_key"), pinned(work.resolve("other_key.pub")));
    var e = assertThrows(HostKeyMismatchException.class, () -> ssh.open(wrong));
    assertTrue(e.getMessage().contains(HostKeys.fingerprint(target.hostKey())), e.getMessage());
    assertFalse(e.getMessage().contains("BEGIN"), "no key material in errors");
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
