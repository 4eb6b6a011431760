package io.bulwark.controller.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.ssh.sim.CiscoIosSimulator;
import io.bulwark.controller.ssh.sim.SimulatedDevice.FaultKind;
import io.bulwark.controller.ssh.sim.TestKeys;
import io.bulwark.rules.ciscoios.CiscoIosGenerator;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cisco IOS driver against a simulated IOS device on MINA SSHD's server side, on loopback. */
class CiscoIosDriverIT {
  private static final String OTHER = "hostname edge-2\ninterface GigabitEthernet0/1\n ip access-group BULWARK-IN in\nexit\n";
  private KeyPair clientKey;
  private CiscoIosSimulator device;
  private SshExecutor ssh;
  private SshTarget target;
  private final CiscoIosDriver driver = new CiscoIosDriver(1);

  @BeforeEach
  void start() throws Exception {
    clientKey = CiscoIosSimulator.newKeyPair();
    device = new CiscoIosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(2));
    device.configureDirectly(OTHER);
    ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(3)).start();
    target = new SshTarget("127.0.0.1", device.port(), "netops", TestKeys.openSshPrivateKey(clientKey), device.hostKey());
  }

  @AfterEach
  void stop() throws Exception {
    ssh.close();
    device.close();
  }

  @Test
  void push_replacesTheBulwarkSection_confirmsAndSaves() {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    String running = device.running();
    assertTrue(running.contains("203.0.113.0 255.255.255.0") && !running.contains("198.51.100.0"), running);
    assertTrue(running.startsWith("hostname edge-2\ninterface GigabitEthernet0/1\n ip access-group BULWARK-IN in\n"), running);
    assertEquals(running, device.startup(), "saved only after verification");
    assertEquals(0, device.reverts());
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
  }

  @Test
  void lineRefusedHalfway_revertsAtOnce_andKeepsTheDevicesOutput() {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    String before = device.running();
    device.injectFault(FaultKind.FAIL, line -> line.contains("203.0.113.0"));
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("% Invalid input") && failed.output().contains("rolled back"), failed.output());
    assertEquals(before, device.running());
  }

  @Test
  void connectionDroppedMidPush_deviceRevertsByItselfAfterTheTimer() throws Exception {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    String before = device.running();
    device.injectFault(FaultKind.DROP, line -> line.startsWith("ip access-list extended"));
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("reverts by itself"), failed.output());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (device.reverts() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(1, device.reverts(), "the unconfirmed change was reverted");
    assertEquals(before, device.running());
    assertEquals(before, device.startup(), "nothing unverified was saved");
  }

  @Test
  void confirmNeverArrives_deviceRevertsByItself() throws Exception {
    String before = device.running();
    device.injectFault(FaultKind.HANG, "configure confirm"::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("did not finish"), failed.output());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (device.reverts() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(before, device.running());
  }

  @Test
  void wrongHostKeyOrUserKey_areRefusedClearly_andNoKeyIsLogged() throws Exception {
    var logs = TestKeys.captureLogs();
    List<String> lines;
    try {
      var otherHost = new SshTarget("127.0.0.1", device.port(), "netops", target.privateKey(), CiscoIosSimulator.newKeyPair().getPublic());
      var e = assertThrows(HostKeyMismatchException.class, () -> ssh.open(otherHost));
      assertTrue(e.getMessage().contains("refusing"), e.getMessage());
      var otherUser = new SshTarget("127.0.0.1", device.port(), "netops",
          TestKeys.openSshPrivateKey(CiscoIosSimulator.newKeyPair()), device.hostKey());
      var auth = assertThrows(BulwarkException.class, () -> ssh.open(otherUser));
      assertTrue(auth.getMessage().contains("authentication failed"), auth.getMessage());
      assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    } finally {
      lines = TestKeys.stop(logs);
    }
    List<String> secrets = new ArrayList<>();
    new String(target.privateKey(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("-----") && l.length() > 16).forEach(l -> secrets.add(l.substring(0, 16)));
    assertFalse(secrets.isEmpty());
    for (String line : lines) {
      assertFalse(line.contains("PRIVATE KEY"), line);
      secrets.forEach(s -> assertFalse(line.contains(s), "secret in log line: " + line));
    }
  }

  @Test
  void deviceHoldingTheFromGeneration_getsOnlyTheDelta_underTheLock_andEndsEqualToTheFullConfiguration() {
    RuleInput a = input(List.of(cm(3, "198.51.100.0/24", "203.0.113.7/32"), cm(10, "192.0.2.0/24")));
    RuleInput b = input(List.of(cm(3, "198.51.100.0/24", "2001:db8::/48"), cm(12, "192.0.2.128/25")));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    device.takeTyped();
    int lockedBefore = device.lockedConfigurations();
    PlatformDriver.Delta delta = delta(a, b);
    assertApplied(driver.push(() -> ssh.open(target), full(b), delta));
    List<String> typed = device.takeTyped();
    assertEquals(delta.commands().lines().filter(l -> !l.isBlank()).toList(), typed, "only the delta is typed");
    assertTrue(typed.stream().anyMatch(l -> l.strip().startsWith("no ")), typed.toString());
    assertTrue(typed.stream().noneMatch(l -> l.equals("no ip access-list extended BULWARK-IN")), typed.toString());
    assertEquals(lockedBefore + 1, device.lockedConfigurations(), "typed in configure terminal lock");
    assertTrue(CiscoIosDriver.sameSection(device.running(), full(b)), device.running());
    assertEquals(device.running(), device.startup(), "saved after verification");
  }

  @Test
  void deviceChangedByHand_getsTheFullSectionInsteadOfTheDelta() throws Exception {
    RuleInput a = input(List.of(cm(3, "198.51.100.0/24")));
    RuleInput b = input(List.of(cm(3, "198.51.100.0/24", "203.0.113.0/24")));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    device.configureDirectly("object-group network BULWARK-CM3-V4\n host 192.0.2.99\nexit\n");
    assertApplied(driver.push(() -> ssh.open(target), full(b), delta(a, b)));
    assertTrue(device.takeTyped().contains("no object-group network BULWARK-CM3-V4"), "full section typed");
    assertTrue(CiscoIosDriver.sameSection(device.running(), full(b)), device.running());
    assertFalse(device.running().contains("192.0.2.99"));
  }

  @Test
  void deltaRefusedHalfway_revertsAtOnceToThePreviousConfiguration() {
    RuleInput a = input(List.of(cm(3, "198.51.100.0/24"), cm(10, "192.0.2.0/24")));
    RuleInput b = input(List.of(cm(3, "203.0.113.0/24"), cm(11, "192.0.2.0/25")));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    String before = device.running();
    PlatformDriver.Delta delta = delta(a, b);
    List<String> lines = delta.commands().lines().filter(l -> !l.isBlank()).toList();
    String halfway = lines.get(lines.size() / 2);
    device.injectFault(FaultKind.FAIL, halfway::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), full(b), delta));
    assertTrue(failed.output().contains("% Invalid input") && failed.output().contains("rolled back"), failed.output());
    assertEquals(before, device.running());
    assertEquals(0, device.reverts(), "reverted by the driver, not by the timer");
  }

  @Test
  void deltaDroppedHalfway_deviceRevertsByItselfAfterTheTimer() throws Exception {
    RuleInput a = input(List.of(cm(3, "198.51.100.0/24"), cm(10, "192.0.2.0/24")));
    RuleInput b = input(List.of(cm(3, "203.0.113.0/24"), cm(11, "192.0.2.0/25")));
    assertApplied(driver.push(() -> ssh.open(target), full(a)));
    String before = device.running();
    PlatformDriver.Delta delta = delta(a, b);
    List<String> lines = delta.commands().lines().filter(l -> !l.isBlank()).toList();
    device.injectFault(FaultKind.DROP, lines.get(lines.size() / 2)::equals);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), full(b), delta));
    assertTrue(failed.output().contains("reverts by itself"), failed.output());
    assertNotEquals(before, device.running(), "the first half is in, unconfirmed");
    waitForRevert();
    assertEquals(before, device.running());
    assertEquals(before, device.startup());
  }

  @Test
  void configurationLockedByAnotherSession_changesNothing_andCancelsTheTimer() throws Exception {
    assertApplied(driver.push(() -> ssh.open(target), rules("198.51.100.0/24")));
    String before = device.running();
    device.lockedByAnother(true);
    var failed = assertInstanceOf(PlatformDriver.Failed.class, driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertTrue(failed.output().contains("locked") && failed.output().contains("nothing changed"), failed.output());
    assertEquals(before, device.running());
    device.lockedByAnother(false);
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    Thread.sleep(2500); // past the (simulated) revert minute: a timer left running would undo the push
    assertEquals(0, device.reverts());
    assertTrue(device.running().contains("203.0.113.0"), device.running());
  }

  @Test
  void deviceWithoutTheLockFeature_isPushedWithoutIt() {
    device.lockSupported(false);
    int lockedBefore = device.lockedConfigurations();
    assertApplied(driver.push(() -> ssh.open(target), rules("203.0.113.0/24")));
    assertEquals(lockedBefore, device.lockedConfigurations());
    assertTrue(device.running().contains("203.0.113.0"), device.running());
  }

  private void waitForRevert() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (device.reverts() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(1, device.reverts(), "the unconfirmed change was reverted");
  }

  private static CountermeasureTerms cm(long id, String... cidrs) {
    List<io.bulwark.rules.term.Term> terms = new ArrayList<>();
    for (String c : cidrs) {
      terms.add(((TermParse.Valid<IpPrefix>) IpPrefix.parse(c)).term());
    }
    return new CountermeasureTerms(id, Action.BLOCK, terms);
  }

  private static RuleInput input(List<CountermeasureTerms> cms) {
    return new RuleInput(1, cms);
  }

  private static String full(RuleInput input) {
    return ((GenerationResult.Rules) new CiscoIosGenerator().generate(input)).text();
  }

  private static PlatformDriver.Delta delta(RuleInput from, RuleInput to) {
    var d = (GenerationResult.Rules) io.bulwark.rules.ciscoios.CiscoIosDelta.between(from, to);
    return new PlatformDriver.Delta(full(from), d.text());
  }

  private static void assertApplied(PlatformDriver.Outcome outcome) {
    if (outcome instanceof PlatformDriver.Failed f) {
      throw new AssertionError("push failed: " + f.output());
    }
  }

  private static String rules(String cidr) {
    IpPrefix p = ((TermParse.Valid<IpPrefix>) IpPrefix.parse(cidr)).term();
    var result = new CiscoIosGenerator().generate(new RuleInput(1, List.of(new CountermeasureTerms(1, Action.BLOCK, List.of(p)))));
    return ((GenerationResult.Rules) result).text();
  }
}
