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
  private Approvals fourEyes;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    var countermeasures = new JdbcCountermeasureStore(db.jdbi());
    var terms = new IndicatorTerms();
    var sessions = new AgentSessions();
    desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms, GeneratorRegistry.load(), clock), sessions);
    approvals = new Approvals(indicators, countermeasures, devices, terms, desired,
        io.bulwark.controller.approve.GuardRails.withDefaults(List.of()),
        io.bulwark.controller.approve.ApprovalPolicy.SINGLE, clock);
    fourEyes = new Approvals(indicators, countermeasures, devices, terms, desired,
        io.bulwark.controller.approve.GuardRails.withDefaults(List.of()),
        new io.bulwark.controller.approve.ApprovalPolicy(false, 1), clock);
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
        Countermeasure.Action.BLOCK, Scope.parse("tag:perimeter"), null, "", "", "alice");
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
        Scope.parse("all"), Duration.ofDays(1), "", "", "alice");
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
        () -> approvals.approve(List.of("indicator--nope"), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "", "a"));
    assertTrue(unknown.getMessage().contains("indicator--nope"));
    store("indicator--00000000-0000-4000-8000-000000000003", "[process:name = 'evil.exe']");
    var none = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
        () -> approvals.approve(List.of("indicator--00000000-0000-4000-8000-000000000003"), Countermeasure.Action.BLOCK,
            Scope.parse("all"), null, "", "", "a"));
    assertTrue(none.getMessage().contains("nothing to enforce"), none.getMessage());
  }

  @Test
  void approve_indicatorHittingAProtectedAddress_isRefusedUnlessOverriddenWithAReason() {
    desired.recomputeAll();
    String id = "indicator--00000000-0000-4000-8000-000000000004";
    store(id, "[ipv4-addr:value = '8.8.8.0/24'] OR [ipv4-addr:value = '203.0.113.9']");
    var refused = org.junit.jupiter.api.Assertions.assertThrows(io.bulwark.controller.domain.GuardRailException.class,
        () -> approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "", "alice"));
    assertTrue(refused.getMessage().contains(id) && refused.getMessage().contains("8.8.8.0/24")
        && refused.getMessage().contains("public resolver"), refused.getMessage());
    assertEquals(1, devices.currentDesired("host-a").orElseThrow().generation(), "nothing may be pushed");
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "INC-42", "resolver abused", "alice");
    assertTrue(approved.countermeasure().reason().contains("guard override: resolver abused"), approved.countermeasure().reason());
    assertEquals(2, devices.currentDesired("host-a").orElseThrow().generation());
  }

  @Test
  void approve_privateRangeOrControllerAddress_isRefused() {
    var guard = io.bulwark.controller.approve.GuardRails.withDefaults(List.of(java.net.InetAddress.getLoopbackAddress()));
    for (String value : new String[] {"10.1.2.3", "192.168.0.0/16", "0.0.0.0/0", "127.0.0.1", "fe80::1"}) {
      var term = ((io.bulwark.rules.term.TermParse.Valid<io.bulwark.rules.term.IpPrefix>) io.bulwark.rules.term.IpPrefix.parse(value)).term();
      assertTrue(guard.check(term).isPresent(), value + " must be protected");
    }
    var ok = ((io.bulwark.rules.term.TermParse.Valid<io.bulwark.rules.term.IpPrefix>) io.bulwark.rules.term.IpPrefix.parse("198.51.100.0/24")).term();
    assertTrue(guard.check(ok).isEmpty());
  }

  @Test
  void approve_overThePolicysDeviceCount_waitsForASecondDifferentApprover_thenGoesOut() {
    desired.recomputeAll();
    String id = "indicator--00000000-0000-4000-8000-000000000005";
    store(id, "[ipv4-addr:value = '203.0.113.77']");
    var first = fourEyes.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), null, "", "", "alice");
    assertEquals(Countermeasure.Status.PENDING_SECOND_APPROVAL, first.countermeasure().status());
    assertEquals(List.of(), first.devicesChanged());
    assertFalse(devices.currentDesired("host-a").orElseThrow().rules().contains("203.0.113.77"));
    var same = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
        () -> fourEyes.confirm(first.countermeasure().id(), "alice"));
    assertTrue(same.getMessage().contains("other than alice"), same.getMessage());
    var second = fourEyes.confirm(first.countermeasure().id(), "bob");
    assertEquals(List.of("host-a", "host-b"), second.devicesChanged());
    assertTrue(devices.currentDesired("host-a").orElseThrow().rules().contains("203.0.113.77"));
    org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
        () -> fourEyes.confirm(first.countermeasure().id(), "carol"));
  }

  @Test
  void withdraw_removesTheRulesAtTheNextGeneration_andKeepsTheRecord() {
    desired.recomputeAll();
    String id = "indicator--00000000-0000-4000-8000-000000000006";
    store(id, "[ipv4-addr:value = '203.0.113.88']");
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("tag:perimeter"), null, "", "", "alice");
    assertTrue(devices.currentDesired("host-a").orElseThrow().rules().contains("203.0.113.88"));
    var withdrawn = approvals.withdraw(approved.countermeasure().id(), "bob");
    assertEquals(List.of("host-a"), withdrawn.devicesChanged());
    assertFalse(devices.currentDesired("host-a").orElseThrow().rules().contains("203.0.113.88"));
    assertEquals(3, devices.currentDesired("host-a").orElseThrow().generation());
    org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
        () -> approvals.withdraw(approved.countermeasure().id(), "bob"));
  }

  @Test
  void canary_goesFirstToItsDevices_thenToTheWholeScopeOnceTheyAllApplied() {
    desired.recomputeAll();
    var rollouts = rollouts();
    String id = "indicator--00000000-0000-4000-8000-000000000007";
    store(id, "[ipv4-addr:value = '203.0.113.99']");
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), Scope.parse("tag:perimeter"),
        null, "", "", "alice");
    assertEquals(List.of("host-a"), approved.devicesChanged());
    assertFalse(devices.currentDesired("host-b").orElseThrow().rules().contains("203.0.113.99"));
    assertEquals(List.of(), rollouts.advance().promoted(), "the canary has not applied it yet");
    var canaryState = devices.currentDesired("host-a").orElseThrow();
    devices.recordReport("host-a", new io.bulwark.controller.domain.ApplyReport(canaryState.generation(),
        canaryState.digest(), canaryState.generation(), io.bulwark.controller.domain.ApplyReport.Outcome.APPLIED, "",
        clock.instant()));
    assertEquals(List.of(approved.countermeasure().id()), rollouts.advance().promoted());
    assertTrue(devices.currentDesired("host-b").orElseThrow().rules().contains("203.0.113.99"));
  }

  @Test
  void canary_thatFails_haltsTheRollout() {
    desired.recomputeAll();
    var rollouts = rollouts();
    String id = "indicator--00000000-0000-4000-8000-000000000008";
    store(id, "[ipv4-addr:value = '203.0.113.98']");
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), Scope.parse("tag:perimeter"),
        null, "", "", "alice");
    long g = devices.currentDesired("host-a").orElseThrow().generation();
    devices.recordReport("host-a", new io.bulwark.controller.domain.ApplyReport(1, "", g,
        io.bulwark.controller.domain.ApplyReport.Outcome.FAILED, "Error: no memory", clock.instant()));
    assertEquals(List.of(approved.countermeasure().id()), rollouts.advance().halted());
    assertEquals(List.of(), rollouts.advance().promoted());
    assertFalse(devices.currentDesired("host-b").orElseThrow().rules().contains("203.0.113.98"));
  }

  @Test
  void canary_thatAppliedButIsOfflineNow_doesNotPromote_untilItIsBack() {
    desired.recomputeAll();
    var rollouts = rollouts();
    long id = approvedAndAppliedByTheCanary("indicator--00000000-0000-4000-8000-000000000009", "203.0.113.97");
    devices.markConnected("host-a", false, clock.instant());

    assertEquals(List.of(), rollouts.advance().promoted(), "an offline canary shows nothing about the rules now");
    assertFalse(devices.currentDesired("host-b").orElseThrow().rules().contains("203.0.113.97"));

    devices.markConnected("host-a", true, clock.instant());
    assertEquals(List.of(id), rollouts.advance().promoted());
  }

  @Test
  void canary_reachingNoDevice_isRefusedAtApproval() {
    desired.recomputeAll();
    String id = "indicator--00000000-0000-4000-8000-000000000010";
    store(id, "[ipv4-addr:value = '203.0.113.96']");

    var e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class, () -> approvals.approve(
        List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"), Scope.parse("tag:lab"), null, "", "", "alice"));

    assertEquals("canary scope tag:lab reaches no device in scope all: the rollout would wait for ever; name canary"
        + " devices that exist, or approve without a canary", e.getMessage());
  }

  @Test
  void indicatorRevokedByAFeed_orPastItsValidUntil_leavesTheDevicesAtTheNextGeneration() {
    desired.recomputeAll();
    var ingestor = new io.bulwark.controller.ingest.BundleIngestor(indicators);
    String revoked = io.bulwark.rules.testing.StixFixtures.indicator(1, "[ipv4-addr:value = '203.0.113.71']");
    String expiring = io.bulwark.rules.testing.StixFixtures.indicator(2, "[ipv4-addr:value = '203.0.113.72']")
        .replace("\"valid_from\"", "\"valid_until\":\"2026-12-05T10:00:00Z\",\"valid_from\"");
    ingestor.ingest(io.bulwark.rules.testing.StixFixtures.stream(
        io.bulwark.rules.testing.StixFixtures.bundleOfJson(List.of(revoked, expiring))), "feed");
    approvals.approve(List.of(io.bulwark.rules.testing.StixFixtures.indicatorId(1),
        io.bulwark.rules.testing.StixFixtures.indicatorId(2)), Countermeasure.Action.BLOCK, Scope.parse("all"), null,
        "", "", "alice");
    String rules = devices.currentDesired("host-a").orElseThrow().rules();
    assertTrue(rules.contains("203.0.113.71") && rules.contains("203.0.113.72"), rules);

    // The feed revokes the first: a newer version with revoked: true.
    String withdrawn = revoked.replace("\"modified\":\"" + io.bulwark.rules.testing.StixFixtures.TIMESTAMP,
        "\"revoked\":true,\"modified\":\"2026-12-04T09:00:00.000Z");
    assertEquals(1, ingestor.ingest(io.bulwark.rules.testing.StixFixtures.stream(
        io.bulwark.rules.testing.StixFixtures.bundleOfJson(List.of(withdrawn))), "feed").stored());
    desired.recomputeAll();
    rules = devices.currentDesired("host-a").orElseThrow().rules();
    assertFalse(rules.contains("203.0.113.71"), rules);
    assertTrue(rules.contains("203.0.113.72"), rules);

    clock.advance(java.time.Duration.ofDays(1));
    desired.recomputeAll();
    rules = devices.currentDesired("host-a").orElseThrow().rules();
    assertFalse(rules.contains("203.0.113.72"), "past its valid_until: " + rules);
    assertEquals(List.of(io.bulwark.rules.testing.StixFixtures.indicatorId(1),
            io.bulwark.rules.testing.StixFixtures.indicatorId(2)),
        approvals.withdrawalProposals().values().stream().flatMap(List::stream)
            .map(p -> p.substring(0, p.indexOf(' '))).sorted().toList(),
        "both are proposed for withdrawal to the CSIRT");
  }

  private io.bulwark.controller.approve.Rollouts rollouts() {
    return new io.bulwark.controller.approve.Rollouts(new JdbcCountermeasureStore(db.jdbi()), devices, desired,
        new io.bulwark.controller.store.JdbcAuditLog(db.jdbi(), clock));
  }

  /** Approves the indicator with {@code tag:perimeter} (host-a) as canary, and host-a applies it. */
  private long approvedAndAppliedByTheCanary(String id, String address) {
    store(id, "[ipv4-addr:value = '" + address + "']");
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("all"),
        Scope.parse("tag:perimeter"), null, "", "", "alice");
    var canaryState = devices.currentDesired("host-a").orElseThrow();
    devices.recordReport("host-a", new io.bulwark.controller.domain.ApplyReport(canaryState.generation(),
        canaryState.digest(), canaryState.generation(), io.bulwark.controller.domain.ApplyReport.Outcome.APPLIED, "",
        clock.instant()));
    return approved.countermeasure().id();
  }

  private void store(String id, String pattern) {
    Instant t = clock.instant().minusSeconds(60);
    indicators.offer(new StoredIndicator(id, t, "test", pattern, "stix", t, null, false, "test", "{}"));
  }
}
