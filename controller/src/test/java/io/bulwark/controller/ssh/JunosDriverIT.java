package io.bulwark.controller.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.ssh.sim.JunosSimulator;
import io.bulwark.controller.ssh.sim.SimulatedDevice.FaultKind;
import io.bulwark.controller.ssh.sim.TestKeys;
import io.bulwark.rules.junos.JunosGenerator;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Junos driver against a simulated Junos device on MINA SSHD's server side, on loopback. */
class JunosDriverIT {
  private static final List<String> OTHER = List.of("set system host-name edge-1", "set interfaces ge-0/0/0 unit 0");
  private KeyPair clientKey;
  private JunosSimulator device;
  private SshExecutor ssh;
  private SshTarget target;
  private final JunosDriver driver = new JunosDriver(1);

  @BeforeEach
  void start() throws Exception {
    clientKey = JunosSimulator.newKeyPair();
    device = new JunosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(2));
    device.setRunning(OTHER);
    ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(3)).start();
    target = new SshTarget("127.0.0.1", device.port(), "netops", TestKeys.openSshPrivateKey(clientKey), device.hostKey());
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    device.close();
  }

  @Test
  void push_toDeviceWithOtherConfig_appliesConfirmsAndReadsBackEqual() {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    assertEquals(expected(rules("198.51.100.0/24")), device.running());
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertEquals(expected(rules("203.0.113.0/24")), device.running(), "the old section is replaced, not merged");
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertEquals(0, device.reverts());
  }

  @Test
  void pushFailingHalfway_leavesThePreviousConfig_andKeepsTheDevicesOutput() {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    List<String> before = device.running();
    device.injectFault(FaultKind.FAIL, line -> line.contains("203.0.113.0/24"));
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("simulated failure") && failed.output().contains("load complete (1 errors)"), failed.output());
    assertEquals(before, device.running());
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
  }

  @Test
  void connectionDroppedDuringLoad_commitsNothing_andReleasesTheLock() {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    List<String> before = device.running();
    device.injectFault(FaultKind.DROP, line -> line.contains("203.0.113.0/24"));
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("nothing committed"), failed.output());
    assertEquals(before, device.running());
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
  }

  @Test
  void confirmNeverArrives_deviceRevertsByItselfAfterTheWindow() throws Exception {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    List<String> before = device.running();
    device.injectFault(FaultKind.DROP, "commit"::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("rolls back by itself"), failed.output());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (device.reverts() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(1, device.reverts(), "the unconfirmed commit was rolled back");
    assertEquals(before, device.running());
  }

  @Test
  void deviceHangingMidPush_isCutByTheCommandTimeout_andKeepsItsConfig() {
    List<String> before = device.running();
    device.injectFault(FaultKind.HANG, "show | compare"::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("did not finish"), failed.output());
    assertEquals(before, device.running());
  }

  @Test
  void wrongHostKeyOrUserKey_areRefusedClearly_andNoSecretIsLogged() throws Exception {
    var logs = TestKeys.captureLogs();
    List<String> lines;
    try {
      var otherHost = new SshTarget("127.0.0.1", device.port(), "netops", target.privateKey(), JunosSimulator.newKeyPair().getPublic());
      var e = assertThrows(HostKeyMismatchException.class, () -> ssh.open(otherHost));
      assertTrue(e.getMessage().contains(HostKeys.fingerprint(device.hostKey())) && e.getMessage().contains("refusing"), e.getMessage());
      var otherUser = new SshTarget("127.0.0.1", device.port(), "netops",
          TestKeys.openSshPrivateKey(JunosSimulator.newKeyPair()), device.hostKey());
      var auth = assertThrows(BulwarkException.class, () -> ssh.open(otherUser));
      assertTrue(auth.getMessage().contains("authentication failed"), auth.getMessage());
      device.injectFault(FaultKind.FAIL, line -> line.contains("203.0.113.0/24"));
      assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
      assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    } finally {
      lines = TestKeys.stop(logs);
    }
    List<String> secrets = new ArrayList<>();
    for (byte[] key : List.of(target.privateKey())) {
      String text = new String(key, StandardCharsets.UTF_8);
      text.lines().filter(l -> !l.startsWith("-----") && l.length() > 16).forEach(secrets::add);
    }
    secrets.add(Base64.getEncoder().encodeToString(clientKey.getPrivate().getEncoded()));
    assertFalse(secrets.isEmpty());
    for (String line : lines) {
      assertFalse(line.contains("PRIVATE KEY"), line);
      for (String s : secrets) {
        assertFalse(line.contains(s) || line.contains(s.substring(0, 16)), "secret in log line: " + line);
      }
    }
  }

  @Test
  void deviceHoldingTheFromGeneration_loadsOnlyTheDelta_andEndsEqualToTheFullConfiguration() {
    RuleInput a = input(cm(3, "198.51.100.0/24", "203.0.113.7/32"), cm(10, "192.0.2.0/24"));
    RuleInput b = input(cm(3, "198.51.100.0/24", "2001:db8::/48"), cm(5, "203.0.113.0/24"), cm(12, "192.0.2.128/25"));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    device.takeTyped();
    PlatformDriver.Delta delta = delta(a, b);
    assertApplied(driver.push(() -> ssh.open(target), full(b), delta));
    List<String> typed = device.takeTyped();
    assertEquals(delta.commands().lines().filter(l -> !l.isBlank()).toList(), typed, "only the delta is loaded");
    assertTrue(typed.stream().anyMatch(l -> l.startsWith("insert ")) && typed.stream().anyMatch(l -> l.startsWith("delete ")),
        typed.toString());
    String running = String.join("\n", device.running());
    assertTrue(JunosDriver.sameSection(running, full(b) + "\n" + String.join("\n", OTHER)), running);
    assertTrue(device.running().containsAll(OTHER));
    assertEquals(0, device.reverts());
  }

  @Test
  void deviceChangedByHand_getsTheFullSectionInsteadOfTheDelta() {
    RuleInput a = input(cm(3, "198.51.100.0/24"));
    RuleInput b = input(cm(3, "198.51.100.0/24", "203.0.113.0/24"));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    List<String> drifted = new ArrayList<>(device.running());
    String anyPrefixLine = drifted.stream().filter(l -> l.contains("198.51.100.0/24")).findFirst().orElseThrow();
    drifted.add(anyPrefixLine.replace("198.51.100.0/24", "192.0.2.99/32"));
    device.setRunning(drifted);
    device.takeTyped();
    assertApplied(driver.push(() -> ssh.open(target), full(b), delta(a, b)));
    assertTrue(device.takeTyped().stream().anyMatch(l -> l.startsWith("delete ") && !delta(a, b).commands().contains(l)),
        "full section loaded");
    assertTrue(device.running().stream().noneMatch(l -> l.contains("192.0.2.99")), device.running().toString());
    assertTrue(JunosDriver.sameSection(String.join("\n", device.running()), full(b) + "\n" + String.join("\n", OTHER)));
  }

  @Test
  void deltaFailingHalfway_commitsNothing_andLeavesThePreviousConfiguration() {
    RuleInput a = input(cm(3, "198.51.100.0/24"), cm(10, "192.0.2.0/24"));
    RuleInput b = input(cm(3, "203.0.113.0/24"), cm(11, "192.0.2.0/25"));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    List<String> before = device.running();
    PlatformDriver.Delta delta = delta(a, b);
    List<String> lines = delta.commands().lines().filter(l -> !l.isBlank()).toList();
    device.injectFault(FaultKind.FAIL, lines.get(lines.size() / 2)::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), full(b), delta));
    assertTrue(failed.output().contains("simulated failure") && failed.output().contains("rolled back"), failed.output());
    assertEquals(before, device.running());
    device.injectFault(FaultKind.DROP, lines.get(lines.size() / 2)::equals);
    failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), full(b), delta));
    assertTrue(failed.output().contains("nothing committed"), failed.output());
    assertEquals(before, device.running());
    assertApplied(driver.push(() -> ssh.open(target), full(b), delta));
    assertTrue(JunosDriver.sameSection(String.join("\n", device.running()), full(b) + "\n" + String.join("\n", OTHER)));
  }

  private static CountermeasureTerms cm(long id, String... cidrs) {
    List<io.bulwark.rules.term.Term> terms = new ArrayList<>();
    for (String c : cidrs) {
      terms.add(((TermParse.Valid<IpPrefix>) IpPrefix.parse(c)).term());
    }
    return new CountermeasureTerms(id, Action.BLOCK, terms);
  }

  private static RuleInput input(CountermeasureTerms... cms) {
    return new RuleInput(1, List.of(cms));
  }

  private static String full(RuleInput input) {
    return ((GenerationResult.Rules) new JunosGenerator().generate(input)).text();
  }

  private static PlatformDriver.Delta delta(RuleInput from, RuleInput to) {
    var d = (GenerationResult.Rules) io.bulwark.rules.junos.JunosDelta.between(from, to);
    return new PlatformDriver.Delta(full(from), d.text());
  }

  private static List<String> expected(String rules) {
    List<String> all = new ArrayList<>(OTHER);
    rules.lines().filter(l -> !l.isBlank()).forEach(all::add);
    return all;
  }

  private static void assertApplied(PlatformDriver.Outcome outcome) {
    if (outcome instanceof PlatformDriver.Failed f) {
      throw new AssertionError("push failed: " + f.output());
    }
  }

  private static String rules(String cidr) {
    IpPrefix p = ((TermParse.Valid<IpPrefix>) IpPrefix.parse(cidr)).term();
    var result = new JunosGenerator().generate(new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, List.of(p)))));
    return ((GenerationResult.Rules) result).text();
  }
}
