package io.bulwark.controller.ssh.bench;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleInputs;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.ssh.SshDelivery;
import io.bulwark.controller.ssh.SshDevices;
import io.bulwark.controller.ssh.SshExecutor;
import io.bulwark.controller.ssh.sim.CiscoIosSimulator;
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
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints how long the controller's SSH delivery takes to bring a fleet of simulated devices (MINA
 * SSHD servers in this JVM, half Cisco IOS, half Junos, each answering every command only after a
 * slow prompt) to compliant, pushed and read back on fresh sessions: first the full section, then
 * a delta. Asserts nothing. Arguments (all optional): devices (500), prompt delay in ms (100),
 * parallelism (64, the controller's default), prefixes in the rule set (100). Run as README.md says.
 */
public final class SimulatedFleetBench {
  private SimulatedFleetBench() {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN); // figures, not the lifecycle of each device
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    long promptMillis = args.length > 1 ? Long.parseLong(args[1]) : 100;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : io.bulwark.controller.ControllerConfig.DEFAULT_SSH_PARALLELISM;
    int prefixes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    KeyPair clientKey = SimulatedDevice.newKeyPair();
    byte[] privateKey = TestKeys.openSshPrivateKey(clientKey);
    List<SimulatedDevice> fleet = new ArrayList<>();
    try (var db = TestDatabases.freshH2();
        var ssh = new SshExecutor(Duration.ofSeconds(30), Duration.ofSeconds(120)).start()) {
      long started = System.nanoTime();
      for (int i = 0; i < count; i++) {
        SimulatedDevice d = i % 2 == 0
            ? new CiscoIosSimulator("netops", clientKey.getPublic(), Duration.ofMinutes(1))
            : new JunosSimulator("netops", clientKey.getPublic(), Duration.ofMinutes(1));
        d.promptDelay(Duration.ofMillis(promptMillis));
        fleet.add(d);
      }
      System.out.printf("%d simulated devices (%d IOS, %d Junos) listening after %.1f s; prompt delay %d ms%n",
          count, (count + 1) / 2, count / 2, seconds(started), promptMillis);

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
      var registry = new SshDevices(store, devices, secrets, clock);
      for (int i = 0; i < count; i++) {
        SimulatedDevice d = fleet.get(i);
        registry.add(String.format("gear-%04d", i), "127.0.0.1", d.port(), "netops",
            d instanceof CiscoIosSimulator ? "cisco-ios" : "junos", d.hostKeyText(), privateKey, List.of());
      }
      approve(indicators, approvals, clock, 1, 0, prefixes);
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, parallelism, Duration.ofHours(1))
          .withDeltas(inputs)) {
        report("full section (" + prefixes + " prefixes)", count, parallelism, run(delivery, devices));
        approve(indicators, approvals, clock, 2, prefixes, 10);
        report("delta (+10 prefixes)", count, parallelism, run(delivery, devices));
      }
    } finally {
      for (SimulatedDevice d : fleet) {
        d.close();
      }
    }
  }

  private record Result(double seconds, Map<DeviceState, Integer> states) {}

  private static Result run(SshDelivery delivery, JdbcDeviceStore devices) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(5).toNanos();
    while (true) {
      delivery.runOnce();
      Map<DeviceState, Integer> states = new TreeMap<>();
      for (Device d : devices.list()) {
        states.merge(d.state(), 1, Integer::sum);
      }
      boolean settled = states.keySet().stream().allMatch(s -> s == DeviceState.COMPLIANT || s == DeviceState.FAILED);
      if (settled || System.nanoTime() > deadline) {
        return new Result(seconds(start), states);
      }
      Thread.sleep(250);
    }
  }

  private static void report(String what, int count, int parallelism, Result r) {
    System.out.printf("%s: %d devices settled in %.1f s with %d in parallel: %s%n", what, count, r.seconds(),
        parallelism, r.states());
  }

  private static void approve(JdbcIndicatorStore indicators, Approvals approvals, MutableClock clock, int n, int first,
      int prefixes) {
    List<String> ids = new ArrayList<>();
    for (int i = first; i < first + prefixes; i++) {
      String id = String.format("indicator--00000000-0000-4000-8000-%012d", i + 1);
      String ip = "198.18." + (i / 120) + "." + (2 * (i % 120) + 1);
      indicators.offer(new StoredIndicator(id, clock.instant(), "scanner", "[ipv4-addr:value = '" + ip + "']", "stix",
          clock.instant(), null, false, "bench", "{}"));
      ids.add(id);
    }
    approvals.approve(ids, Countermeasure.Action.BLOCK, Scope.parse("all"), null, "bench " + n, "", "bench");
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
