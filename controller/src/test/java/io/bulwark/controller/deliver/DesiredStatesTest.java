package io.bulwark.controller.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.domain.UnknownIndicatorException;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.Digests;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generations and digests: a new generation exactly when the rule set changes. */
class DesiredStatesTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private final List<DesiredState> pushed = new ArrayList<>();
  private Database db;
  private JdbcDeviceStore devices;
  private JdbcIndicatorStore indicators;
  private DesiredStates desired;
  private Approvals approvals;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    var countermeasures = new JdbcCountermeasureStore(db.jdbi());
    var terms = new IndicatorTerms();
    var sessions = new AgentSessions();
    desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms, GeneratorRegistry.load(), clock), sessions);
    approvals = new Approvals(indicators, countermeasures, devices, terms, desired, clock);
    devices.upsertEnrolled("host-a", "nftables", List.of("perimeter"), clock.instant());
    devices.upsertEnrolled("host-b", "nftables", List.of("core"), clock.instant());
    devices.markConnected("host-a", true, clock.instant());
    sessions.open("host-a", new AgentSessions.Session() {
      @Override
      public void send(DesiredState state) {
        pushed.add(state);
      }

      @Override
      public void close(String reason) {}
    });
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void recompute_firstTimeGivesGenerationOne_thenNothingUntilSomethingChanges() {
    DesiredState first = desired.recompute("host-a").orElseThrow();
    assertEquals(1, first.generation());
    assertEquals(Digests.sha256Hex(first.rules()), first.digest());
    assertTrue(first.rules().startsWith("table inet bulwark {"));
    assertTrue(desired.recompute("host-a").isEmpty());
    assertEquals(List.of(first), pushed);
  }

  @Test
  void approve_givesTheDevicesInScopeANewGeneration_andOnlyThem() {
    desired.recomputeAll();
    store("indicator--00000000-0000-4000-8000-000000000001", "[ipv4-addr:value = '203.0.113.0/24']");
    var approved = approvals.approve(List.of("indicator--00000000-0000-4000-8000-000000000001"),
        Countermeasure.Action.BLOCK, Scope.parse("tag:perimeter"), null, "", "alice");
    assertEquals(List.of("host-a"), approved.devicesChanged());
    DesiredState now = devices.currentDesired("host-a").orElseThrow();
    assertEquals(2, now.generation());
    assertTrue(now.rules().contains("203.0.113.0/24"), now.rules());
    assertEquals(1, devices.currentDesired("host-b").orElseThrow().generation());
    assertEquals(2, pushed.get(pushed.size() - 1).generation());
  }

  @Test
  void expiry_removesTheRulesAtTheNextGeneration() {
    desired.recomputeAll();
    store("indicator--00000000-0000-4000-8000-000000000002", "[ipv4-addr:value = '192.0.2.1']");
    approvals.approve(List.of("indicator--00000000-0000-4000-8000-000000000002"), Countermeasure.Action.BLOCK,
        Scope.parse("all"), Duration.ofDays(1), "", "alice");
    assertTrue(devices.currentDesired("host-a").orElseThrow().rules().contains("192.0.2.1"));
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertEquals(List.of("host-a", "host-b"), desired.recomputeAll());
    DesiredState after = devices.currentDesired("host-a").orElseThrow();
    assertEquals(3, after.generation());
    assertFalse(after.rules().contains("192.0.2.1"), after.rules());
  }

  @Test
  void approve_unknownOrUnenforceableIndicators_isRefusedWithTheirIds() {
    var unknown = org.junit.jupiter.api.Assertions.assertThrows(UnknownIndicatorException.class,
        () -> approvals.approve(List.of("indicator--nope"), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "a"));
    assertTrue(unknown.getMessage().contains("indicator--nope"));
    store("indicator--00000000-0000-4000-8000-000000000003", "[process:name = 'evil.exe']");
    var none = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
        () -> approvals.approve(List.of("indicator--00000000-0000-4000-8000-000000000003"), Countermeasure.Action.BLOCK,
            Scope.parse("all"), null, "", "a"));
    assertTrue(none.getMessage().contains("nothing to enforce"), none.getMessage());
  }

  private void store(String id, String pattern) {
    Instant t = clock.instant().minusSeconds(60);
    indicators.offer(new StoredIndicator(id, t, "test", pattern, "stix", t, null, false, "test", "{}"));
  }
}
