package io.bulwark.controller.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.ssh.sim.CiscoIosSimulator;
import io.bulwark.controller.ssh.sim.ConcurrencyGauge;
import io.bulwark.controller.ssh.sim.JunosSimulator;
import io.bulwark.controller.ssh.sim.SimulatedDevice;
import io.bulwark.controller.ssh.sim.TestKeys;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcSshDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SshDelivery works on at most its parallelism of devices at once, and on each device alone. */
class SshDeliveryParallelismIT {
  private static final int DEVICES = 12;
  private static final int PARALLELISM = 3;

  @Test
  void fleetPush_neverRunsMoreThanTheBound_andOneSessionAtATimePerDevice() throws Exception {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var clientKey = SimulatedDevice.newKeyPair();
    var gauge = new ConcurrencyGauge();
    List<SimulatedDevice> fleet = new ArrayList<>();
    try (var db = TestDatabases.freshH2();
        var ssh = new SshExecutor(Duration.ofSeconds(5), Duration.ofSeconds(10)).start()) {
      for (int i = 0; i < DEVICES; i++) {
        SimulatedDevice d = i % 2 == 0
            ? new CiscoIosSimulator("netops", clientKey.getPublic(), Duration.ofMinutes(1))
            : new JunosSimulator("netops", clientKey.getPublic(), Duration.ofMinutes(1));
        // Slow enough that workers overlap, so a bound that was not honoured would show.
        d.promptDelay(Duration.ofMillis(40));
        d.countCommands(gauge);
        fleet.add(d);
      }
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
      for (int i = 0; i < DEVICES; i++) {
        SimulatedDevice d = fleet.get(i);
        registry.add("gear-" + i, "127.0.0.1", d.port(), "netops",
            d instanceof CiscoIosSimulator ? "cisco-ios" : "junos", d.hostKeyText(), TestKeys.openSshPrivateKey(clientKey),
            List.of());
      }
      String id = "indicator--00000000-0000-4000-8000-000000000001";
      indicators.offer(new StoredIndicator(id, clock.instant(), "scanner", "[ipv4-addr:value = '203.0.113.50']", "stix",
          clock.instant(), null, false, "test", "{}"));
      approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "", "alice");

      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, PARALLELISM, Duration.ofHours(1))) {
        assertEquals(DEVICES, delivery.runOnce().size());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!devices.list().stream().allMatch(Device::isCompliant) && System.nanoTime() < deadline) {
          // Passes while pushes are in flight must not start a second session on a busy device.
          assertTrue(delivery.runOnce().isEmpty(), "a device already being worked on was started again");
          Thread.sleep(20);
        }
        for (Device d : devices.list()) {
          assertEquals(DeviceState.COMPLIANT, d.state(), d.name() + ": " + d.report().error());
        }
      }
      assertEquals(DEVICES, gauge.devicesSeen());
      assertTrue(gauge.maxRunning() <= PARALLELISM, "at most " + PARALLELISM + " at once, saw " + gauge.maxRunning());
      assertEquals(PARALLELISM, gauge.maxRunning(), "the bound is reached, not only respected");
      assertEquals(1, gauge.maxPerDevice(), "one command at a time on each device");
    } finally {
      for (SimulatedDevice d : fleet) {
        d.close();
      }
    }
  }

  @Test
  void parallelismBelowOne_isRefused() throws Exception {
    try (var db = TestDatabases.freshH2()) {
      var e = assertThrows(IllegalArgumentException.class, () -> new SshDelivery(new JdbcSshDeviceStore(db.jdbi()),
          new JdbcDeviceStore(db.jdbi()), SecretBox.random(), null, MutableClock.at("2026-12-04T10:00:00Z"), 0,
          Duration.ofMinutes(5)));
      assertTrue(e.getMessage().contains("at least 1, was 0"), e.getMessage());
    }
  }
}
