package io.bulwark.controller.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleInputs;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.ssh.sim.JunosSimulator;
import io.bulwark.controller.ssh.sim.SimulatedDevice.FaultKind;
import io.bulwark.controller.ssh.sim.TestKeys;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcSshDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SshDelivery picks the Junos driver for a device registered as {@code junos}, end to end. */
class SshDeliveryJunosIT {
  @Test
  void junosDevice_becomesCompliant_thenAFailedPushIsReportedWithTheDevicesOutput() throws Exception {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var clientKey = JunosSimulator.newKeyPair();
    try (var db = TestDatabases.freshH2();
        var device = new JunosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(2));
        var ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(5)).start()) {
      var devices = new JdbcDeviceStore(db.jdbi());
      var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
      var countermeasures = new JdbcCountermeasureStore(db.jdbi());
      var terms = new IndicatorTerms();
      var desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms,
          GeneratorRegistry.load(), clock), new AgentSessions());
      var approvals = new Approvals(indicators, countermeasures, devices, terms, desired,
          GuardRails.withDefaults(List.of()), ApprovalPolicy.SINGLE, clock);
      var secrets = SecretBox.random();
      var store = new JdbcSshDeviceStore(db.jdbi());
      new SshDevices(store, devices, secrets, clock).add("mx-1", "127.0.0.1", device.port(), "netops", "junos",
          device.hostKeyText(), TestKeys.openSshPrivateKey(clientKey), List.of("perimeter"));
      approve(indicators, approvals, clock, "b1", "203.0.113.44");
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, 2, Duration.ofMinutes(5))) {
        delivery.deliver(store.find("mx-1").orElseThrow());
        var d = devices.find("mx-1").orElseThrow();
        assertEquals(DeviceState.COMPLIANT, d.state(), d.report().error());
        assertTrue(device.running().stream().anyMatch(l -> l.contains("203.0.113.44/32")), device.running().toString());

        List<String> before = device.running();
        device.injectFault(FaultKind.FAIL, line -> line.contains("198.51.100.7"));
        approve(indicators, approvals, clock, "b2", "198.51.100.7");
        delivery.deliver(store.find("mx-1").orElseThrow());
        d = devices.find("mx-1").orElseThrow();
        assertEquals(DeviceState.FAILED, d.state());
        assertTrue(d.report().error().contains("simulated failure"), d.report().error());
        assertEquals(before, device.running(), "the device stays on its previous configuration");

        delivery.deliver(store.find("mx-1").orElseThrow());
        d = devices.find("mx-1").orElseThrow();
        assertEquals(DeviceState.COMPLIANT, d.state(), d.report().error());
      }
    }
  }

  @Test
  void hostKeyGivenAsFingerprint_isAcceptedOnlyIfItMatches_thenPinned() throws Exception {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var clientKey = JunosSimulator.newKeyPair();
    try (var db = TestDatabases.freshH2();
        var device = new JunosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(2));
        var ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(5)).start()) {
      var devices = new JdbcDeviceStore(db.jdbi());
      var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
      var countermeasures = new JdbcCountermeasureStore(db.jdbi());
      var terms = new IndicatorTerms();
      var desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms,
          GeneratorRegistry.load(), clock), new AgentSessions());
      var approvals = new Approvals(indicators, countermeasures, devices, terms, desired,
          GuardRails.withDefaults(List.of()), ApprovalPolicy.SINGLE, clock);
      var secrets = SecretBox.random();
      var store = new JdbcSshDeviceStore(db.jdbi());
      var registry = new SshDevices(store, devices, secrets, clock);
      String wrong = HostKeys.fingerprint(JunosSimulator.newKeyPair().getPublic());
      registry.addToConfirm("mx-2", "127.0.0.1", device.port(), "netops", "junos", wrong, TestKeys.openSshPrivateKey(clientKey), List.of());
      approve(indicators, approvals, clock, "c1", "203.0.113.45");
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, 2, Duration.ofMinutes(5))) {
        delivery.deliver(store.find("mx-2").orElseThrow());
        var d = devices.find("mx-2").orElseThrow();
        assertEquals(DeviceState.FAILED, d.state());
        assertTrue(d.report().error().contains(wrong + " was to be confirmed; refusing"), d.report().error());
        assertEquals(wrong, store.find("mx-2").orElseThrow().hostKey(), "nothing pinned");
        assertTrue(device.running().isEmpty());

        registry.addToConfirm("mx-2", "127.0.0.1", device.port(), "netops", "junos", HostKeys.fingerprint(device.hostKey()),
            TestKeys.openSshPrivateKey(clientKey), List.of());
        delivery.deliver(store.find("mx-2").orElseThrow());
        d = devices.find("mx-2").orElseThrow();
        assertEquals(DeviceState.COMPLIANT, d.state(), d.report().error());
        assertEquals(device.hostKeyText(), store.find("mx-2").orElseThrow().hostKey(), "the confirmed key is pinned");
      }
    }
  }

  @Test
  void knownAppliedGeneration_isFollowedByADelta_unknownAfterARestart_byTheFullSection() throws Exception {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var clientKey = JunosSimulator.newKeyPair();
    try (var db = TestDatabases.freshH2();
        var device = new JunosSimulator("netops", clientKey.getPublic(), Duration.ofSeconds(2));
        var ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(5)).start()) {
      var devices = new JdbcDeviceStore(db.jdbi());
      var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
      var countermeasures = new JdbcCountermeasureStore(db.jdbi());
      var terms = new IndicatorTerms();
      var inputs = new RuleInputs(SshDevices.deltaTargets(), 4);
      var desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms,
          GeneratorRegistry.load(), clock), new AgentSessions(), inputs);
      var approvals = new Approvals(indicators, countermeasures, devices, terms, desired,
          GuardRails.withDefaults(List.of()), ApprovalPolicy.SINGLE, clock);
      var secrets = SecretBox.random();
      var store = new JdbcSshDeviceStore(db.jdbi());
      new SshDevices(store, devices, secrets, clock).add("mx-4", "127.0.0.1", device.port(), "netops", "junos",
          device.hostKeyText(), TestKeys.openSshPrivateKey(clientKey), List.of());
      approve(indicators, approvals, clock, "d1", "203.0.113.46");
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, 2, Duration.ofMinutes(5)).withDeltas(inputs)) {
        delivery.deliver(store.find("mx-4").orElseThrow());
        assertEquals(DeviceState.COMPLIANT, devices.find("mx-4").orElseThrow().state());
        assertTrue(device.takeTyped().stream().anyMatch(l -> l.contains("203.0.113.46/32")), "first push: the full section");

        approve(indicators, approvals, clock, "d2", "198.51.100.8");
        delivery.deliver(store.find("mx-4").orElseThrow());
        var d = devices.find("mx-4").orElseThrow();
        assertEquals(DeviceState.COMPLIANT, d.state(), d.report().error());
        List<String> typed = device.takeTyped();
        assertTrue(typed.stream().anyMatch(l -> l.contains("198.51.100.8/32")), typed.toString());
        assertTrue(typed.stream().noneMatch(l -> l.contains("203.0.113.46/32")), "only the delta: " + typed);
        assertTrue(device.running().stream().anyMatch(l -> l.contains("203.0.113.46/32")), device.running().toString());
      }
      approve(indicators, approvals, clock, "d3", "198.51.100.9");
      try (var restarted = new SshDelivery(store, devices, secrets, ssh, clock, 2, Duration.ofMinutes(5))) {
        restarted.deliver(store.find("mx-4").orElseThrow());
        var d = devices.find("mx-4").orElseThrow();
        assertEquals(DeviceState.COMPLIANT, d.state(), d.report().error());
        List<String> typed = device.takeTyped();
        assertTrue(typed.stream().anyMatch(l -> l.contains("203.0.113.46/32")) && typed.stream().anyMatch(l -> l.startsWith("delete ")),
            "applied generation's input unknown: the full section, " + typed);
      }
    }
  }

  @Test
  void malformedFingerprint_isRefusedAtRegistration() throws Exception {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    try (var db = TestDatabases.freshH2()) {
      var registry = new SshDevices(new JdbcSshDeviceStore(db.jdbi()), new JdbcDeviceStore(db.jdbi()), SecretBox.random(), clock);
      var e = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
          () -> registry.addToConfirm("mx-3", "127.0.0.1", 22, "netops", "junos", "SHA256:short",
              TestKeys.openSshPrivateKey(JunosSimulator.newKeyPair()), List.of()));
      assertTrue(e.getMessage().contains("43 base64 characters"), e.getMessage());
      String fingerprint = HostKeys.fingerprint(JunosSimulator.newKeyPair().getPublic());
      var asKey = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.InvalidRequestException.class,
          () -> registry.add("mx-3", "127.0.0.1", 22, "netops", "junos", fingerprint,
              TestKeys.openSshPrivateKey(JunosSimulator.newKeyPair()), List.of()));
      assertTrue(asKey.getMessage().contains("host key"), asKey.getMessage());
    }
  }

  private static void approve(JdbcIndicatorStore indicators, Approvals approvals, MutableClock clock, String n, String ip) {
    String id = "indicator--00000000-0000-4000-8000-0000000000" + n;
    indicators.offer(new StoredIndicator(id, clock.instant(), "scanner", "[ipv4-addr:value = '" + ip + "']", "stix",
        clock.instant(), null, false, "test", "{}"));
    approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "", "alice");
  }
}
