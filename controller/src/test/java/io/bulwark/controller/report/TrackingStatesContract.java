package io.bulwark.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.Exceptions;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Countermeasure.Severity;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcExceptionStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.DatabaseContract;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every per-device state of the compliance report (compliant, failed, drifted, offline,
 * excepted, enrolled, expired) and the chase list held to per-severity SLAs, on one store.
 */
abstract class TrackingStatesContract extends DatabaseContract {
  final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  JdbcDeviceStore devices;
  JdbcCountermeasureStore countermeasures;
  JdbcExceptionStore exceptionStore;
  JdbcIndicatorStore indicators;
  JdbcAuditLog audit;
  DesiredStates desired;
  Approvals approvals;

  @BeforeEach
  void open() {
    devices = new JdbcDeviceStore(db.jdbi());
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    countermeasures = new JdbcCountermeasureStore(db.jdbi());
    audit = new JdbcAuditLog(db.jdbi(), clock);
    exceptionStore = new JdbcExceptionStore(db.jdbi());
    var terms = new IndicatorTerms();
    desired = new DesiredStates(devices,
        new RuleSetCompiler(countermeasures, indicators, terms, GeneratorRegistry.load(), exceptionStore, clock),
        new AgentSessions());
    approvals = new Approvals(indicators, countermeasures, devices, terms, desired, GuardRails.withDefaults(List.of()),
        ApprovalPolicy.SINGLE, clock);
  }

  private String indicator(String suffix, String address) {
    String id = "indicator--00000000-0000-4000-8000-0000000000" + suffix;
    indicators.offer(new StoredIndicator(id, clock.instant(), "scanner " + suffix,
        "[ipv4-addr:value = '" + address + "']", "stix", clock.instant(), null, false, "test", "{}"));
    return id;
  }

  private void applied(String device) {
    var d = devices.currentDesired(device).orElseThrow();
    devices.markConnected(device, true, clock.instant());
    devices.recordReport(device, new ApplyReport(d.generation(), d.digest(), d.generation(), ApplyReport.Outcome.APPLIED,
        "", clock.instant()));
  }

  private ComplianceReport report() {
    return new ComplianceReport(devices, countermeasures, audit, exceptionStore,
        new io.bulwark.controller.store.JdbcDeviceOwners(db.jdbi()), clock);
  }

  private static Map<String, ComplianceReport.DeviceRow> rowsOf(ComplianceReport.Report r, long countermeasure) {
    return r.devices().stream().filter(d -> d.countermeasureId() == countermeasure)
        .collect(Collectors.toMap(ComplianceReport.DeviceRow::device, d -> d));
  }

  @Test
  void report_namesEveryStateAndChase_holdsEachCountermeasureToItsSeveritysDeadline() {
    for (String d : List.of("fw-ok", "fw-failed", "fw-drifted", "fw-offline", "fw-excepted", "fw-new")) {
      devices.upsertEnrolled(d, "nftables", List.of("perimeter"), clock.instant());
    }
    var owners = new io.bulwark.controller.store.JdbcDeviceOwners(db.jdbi());
    owners.set("fw-failed", "dc-team", "olga", clock.instant());
    owners.set("fw-failed", "net-team <net@example.org>", "olga", clock.instant());
    desired.recomputeAll();
    Instant approvedAt = clock.instant();
    long critical = approvals.approve(List.of(indicator("c1", "203.0.113.5")), Countermeasure.Action.BLOCK,
        Scope.parse("tag:perimeter"), null, null, "INC-1", "", "alice", Severity.CRITICAL).countermeasure().id();
    long low = approvals.approve(List.of(indicator("c2", "203.0.113.6")), Countermeasure.Action.BLOCK,
        Scope.parse("tag:perimeter"), null, Duration.ofDays(10), "INC-2", "", "alice", Severity.LOW)
        .countermeasure().id();
    assertEquals(Severity.CRITICAL, countermeasures.find(critical).orElseThrow().severity());
    new Exceptions(exceptionStore, countermeasures, devices, desired, clock)
        .add(critical, "fw-excepted", "vendor appliance", Duration.ofDays(30), "bob");

    clock.advance(Duration.ofMinutes(3));
    for (String d : List.of("fw-ok", "fw-drifted", "fw-offline", "fw-excepted")) {
      applied(d);
    }
    var failedGen = devices.currentDesired("fw-failed").orElseThrow().generation();
    devices.markConnected("fw-failed", true, clock.instant());
    devices.recordReport("fw-failed", new ApplyReport(0, "", failedGen, ApplyReport.Outcome.FAILED,
        "Error: Could not process rule", clock.instant()));
    clock.advance(Duration.ofMinutes(1));
    var drifted = devices.currentDesired("fw-drifted").orElseThrow();
    devices.recordReport("fw-drifted", new ApplyReport(drifted.generation(), drifted.digest(), drifted.generation(),
        ApplyReport.Outcome.DRIFTED, "set bulwark_1_v4: element 203.0.113.5 missing", clock.instant()));
    devices.markConnected("fw-offline", false, clock.instant());

    var r = report().build();
    var rows = rowsOf(r, critical);
    assertEquals("compliant", rows.get("fw-ok").state());
    assertEquals(approvedAt.plus(Duration.ofMinutes(3)), rows.get("fw-ok").firstApplied());
    assertEquals(Duration.ofMinutes(3), rows.get("fw-ok").timeToApply());
    assertEquals("failed", rows.get("fw-failed").state());
    assertEquals("Error: Could not process rule", rows.get("fw-failed").error());
    assertEquals("net-team <net@example.org>", rows.get("fw-failed").owner());
    assertNull(rows.get("fw-failed").firstApplied());
    assertEquals("drifted", rows.get("fw-drifted").state());
    assertEquals("set bulwark_1_v4: element 203.0.113.5 missing", rows.get("fw-drifted").error());
    assertEquals(Duration.ofMinutes(3), rows.get("fw-drifted").timeToApply(), "the evidence of the first apply stays");
    assertEquals(drifted.digest(), rows.get("fw-drifted").appliedDigest());
    assertEquals("offline", rows.get("fw-offline").state(), "an offline device cannot vouch for its rules");
    assertNotNull(rows.get("fw-offline").firstApplied());
    assertEquals("excepted", rows.get("fw-excepted").state());
    assertTrue(rows.get("fw-excepted").exception().startsWith("vendor appliance (by bob, until "),
        rows.get("fw-excepted").exception());
    assertEquals("enrolled", rows.get("fw-new").state());
    assertEquals("compliant", rowsOf(r, low).get("fw-excepted").state(), "the exception is for one countermeasure");

    var summary = r.countermeasures().stream().filter(c -> c.countermeasure().id() == critical).findFirst().orElseThrow();
    assertEquals(6, summary.inScope());
    assertEquals(1, summary.compliant());
    assertEquals(Map.of("compliant", 1, "failed", 1, "drifted", 1, "offline", 1, "excepted", 1, "enrolled", 1),
        summary.byState());
    assertNull(summary.timeToFullyApplied(), "fw-failed and fw-new never applied it");
    assertEquals("active", ComplianceReport.statusOf(summary.countermeasure(), r.generatedAt()));

    var chase = new ChaseList(report());
    assertEquals(List.of(), chase.lagging(ChaseSla.DEFAULT), "nobody is past 4 h yet");
    clock.advance(Duration.ofHours(4));
    var lagging = chase.lagging(ChaseSla.DEFAULT);
    assertEquals(List.of("fw-drifted", "fw-failed", "fw-new", "fw-offline"),
        lagging.stream().map(ChaseList.Lagging::device).toList(), "only the critical countermeasure is overdue");
    lagging.forEach(l -> {
      assertEquals(critical, l.countermeasureId());
      assertEquals(Severity.CRITICAL, l.severity());
      assertEquals(Duration.ofHours(4), l.deadline());
      assertEquals(Duration.ofHours(4).plusMinutes(4), l.laggingFor());
    });
    assertEquals("Error: Could not process rule", lagging.get(1).error());
    assertEquals("net-team <net@example.org>", lagging.get(1).owner(), "the owner set last");
    assertEquals("", lagging.get(0).owner(), "nobody named for fw-drifted");
    assertEquals(List.of(), chase.lagging(ChaseSla.DEFAULT.with(Map.of("critical", Duration.ofHours(5)))),
        "a longer SLA for critical: nobody lags yet");

    clock.advance(Duration.ofDays(7));
    lagging = chase.lagging(ChaseSla.DEFAULT);
    assertEquals(8, lagging.size(), "now the low countermeasure is past its week too");
    assertEquals(critical, lagging.get(0).countermeasureId(), "the most overdue first");
    var lowLagging = lagging.stream().filter(l -> l.countermeasureId() == low).toList();
    assertEquals(List.of("fw-drifted", "fw-failed", "fw-new", "fw-offline"),
        lowLagging.stream().map(ChaseList.Lagging::device).toList());
    assertEquals(Duration.ofDays(7), lowLagging.get(0).deadline());

    clock.advance(Duration.ofDays(3));
    r = report().build();
    var lowSummary = r.countermeasures().stream().filter(c -> c.countermeasure().id() == low).findFirst().orElseThrow();
    assertEquals("expired", ComplianceReport.statusOf(lowSummary.countermeasure(), r.generatedAt()));
    assertEquals(Map.of("expired", 6), lowSummary.byState());
    assertTrue(chase.lagging(ChaseSla.DEFAULT).stream().allMatch(l -> l.countermeasureId() == critical),
        "an expired countermeasure is not chased");
  }

  @Test
  void timeToFullyApplied_isWhenTheLastDeviceNotExceptedFirstAppliedIt() {
    devices.upsertEnrolled("a", "nftables", List.of("edge"), clock.instant());
    devices.upsertEnrolled("b", "nftables", List.of("edge"), clock.instant());
    desired.recomputeAll();
    long id = approvals.approve(List.of(indicator("d1", "198.51.100.9")), Countermeasure.Action.BLOCK,
        Scope.parse("tag:edge"), null, null, "", "", "alice", Severity.HIGH).countermeasure().id();
    clock.advance(Duration.ofSeconds(10));
    applied("a");
    clock.advance(Duration.ofSeconds(20));
    applied("b");
    clock.advance(Duration.ofHours(1));
    devices.markConnected("b", false, clock.instant());
    var summary = report().build().countermeasures().stream().filter(c -> c.countermeasure().id() == id)
        .findFirst().orElseThrow();
    assertEquals(Duration.ofSeconds(30), summary.timeToFullyApplied(), "history does not change when b goes offline");
    assertEquals(1, summary.compliant());
    assertEquals(Map.of("compliant", 1, "offline", 1), summary.byState());
  }

  @Test
  void report_narrowedToAScopeAndAPeriod_countsOnlyThose() {
    devices.upsertEnrolled("lab-1", "nftables", List.of("lab"), clock.instant());
    devices.upsertEnrolled("web-1", "nftables", List.of("web"), clock.instant());
    desired.recomputeAll();
    long shortLived = approvals.approve(List.of(indicator("e1", "198.51.100.10")), Countermeasure.Action.BLOCK,
        Scope.parse("all"), null, Duration.ofDays(1), "", "", "alice", Severity.HIGH).countermeasure().id();
    long lasting = approvals.approve(List.of(indicator("e2", "198.51.100.11")), Countermeasure.Action.BLOCK,
        Scope.parse("all"), null, null, "", "", "alice", Severity.HIGH).countermeasure().id();
    clock.advance(Duration.ofDays(3));
    var all = report().build();
    assertEquals(4, all.devices().size());
    var narrowed = report().build(clock.instant().minus(Duration.ofDays(1)), Scope.parse("tag:lab"));
    assertEquals(List.of(lasting), narrowed.countermeasures().stream().map(c -> c.countermeasure().id()).toList(),
        "the countermeasure that expired before the period is left out");
    assertEquals(List.of("lab-1"), narrowed.devices().stream().map(ComplianceReport.DeviceRow::device).toList());
    assertEquals(1, narrowed.countermeasures().get(0).inScope());
    assertEquals(2, report().build(clock.instant().minus(Duration.ofDays(5)), null).countermeasures().size(),
        "both were in force within the last five days: " + shortLived + ", " + lasting);
  }

  @Test
  void aFeedRevokingOrExpiringAnIndicator_proposesWithdrawingItsCountermeasure() {
    devices.upsertEnrolled("a", "nftables", List.of("edge"), clock.instant());
    String revokedLater = indicator("b1", "198.51.100.20");
    String id2 = "indicator--00000000-0000-4000-8000-0000000000b2";
    indicators.offer(new StoredIndicator(id2, clock.instant(), "short-lived", "[ipv4-addr:value = '198.51.100.21']",
        "stix", clock.instant(), clock.instant().plus(Duration.ofHours(2)), false, "feed-b", "{}"));
    long first = approvals.approve(List.of(revokedLater), Countermeasure.Action.BLOCK, Scope.parse("all"), null, null,
        "", "", "alice", Severity.HIGH).countermeasure().id();
    long second = approvals.approve(List.of(id2), Countermeasure.Action.BLOCK, Scope.parse("all"), null, null,
        "", "", "alice", Severity.HIGH).countermeasure().id();
    long third = approvals.approve(List.of(revokedLater), Countermeasure.Action.BLOCK, Scope.parse("all"), null, null,
        "", "", "alice", Severity.HIGH).countermeasure().id();
    approvals.withdraw(third, "alice");
    assertEquals(Map.of(), approvals.withdrawalProposals());

    clock.advance(Duration.ofMinutes(5));
    indicators.offer(new StoredIndicator(revokedLater, clock.instant(), "scanner b1", "[ipv4-addr:value = '198.51.100.20']",
        "stix", clock.instant(), null, true, "feed-a", "{}"));
    assertEquals(Map.of(first, List.of(revokedLater + " revoked by feed-a")), approvals.withdrawalProposals(),
        "a withdrawn countermeasure is not proposed again");
    clock.advance(Duration.ofHours(2));
    assertEquals(List.of(id2 + " expired at " + clock.instant().minus(Duration.ofMinutes(5))),
        approvals.withdrawalProposals().get(second));
  }

  @Test
  void aScheduledCountermeasure_isPushedOnlyFromItsStart_andDeadlinesCountFromThere() {
    devices.upsertEnrolled("a", "nftables", List.of("edge"), clock.instant());
    desired.recomputeAll();
    long before = devices.currentDesired("a").orElseThrow().generation();
    var c = approvals.approve(List.of(indicator("f1", "198.51.100.30")), Countermeasure.Action.BLOCK,
        Scope.parse("all"), null, Duration.ofDays(1), "", "", "alice", Severity.CRITICAL, Duration.ofHours(2))
        .countermeasure();
    assertEquals(clock.instant().plus(Duration.ofHours(2)), countermeasures.find(c.id()).orElseThrow().startsAt());
    assertEquals(clock.instant().plus(Duration.ofHours(26)), c.expiresAt(), "the expiry counts from the start");
    assertEquals(before, devices.currentDesired("a").orElseThrow().generation(), "nothing pushed before the start");
    assertEquals("scheduled", rowsOf(report().build(), c.id()).get("a").state());

    clock.advance(Duration.ofHours(5));
    assertEquals(List.of(), new ChaseList(report()).lagging(ChaseSla.DEFAULT), "3 h in force: still within 4 h");
    desired.recomputeAll();
    assertTrue(devices.currentDesired("a").orElseThrow().rules().contains("198.51.100.30"), "in force after the start");
    clock.advance(Duration.ofMinutes(10));
    applied("a");
    var row = rowsOf(report().build(), c.id()).get("a");
    assertEquals("compliant", row.state());
    assertEquals(Duration.ofHours(3).plusMinutes(10), row.timeToApply(), "time to apply counts from the start");
    assertThrows(InvalidRequestException.class, () -> approvals.approve(List.of(indicator("f2", "198.51.100.31")),
        Countermeasure.Action.BLOCK, Scope.parse("all"), null, null, "", "", "alice", Severity.LOW, Duration.ofHours(-1)));
  }

  @Test
  void periodReport_keepsWhatWasWithdrawnOrExpiredDuringThePeriod() {
    devices.upsertEnrolled("web-1", "nftables", List.of("web"), clock.instant());
    devices.upsertEnrolled("web-2", "nftables", List.of("web"), clock.instant());
    desired.recomputeAll();
    long pulled = approvals.approve(List.of(indicator("w1", "198.51.100.20")), Countermeasure.Action.BLOCK,
        Scope.parse("tag:web"), null, null, "", "", "alice", Severity.HIGH).countermeasure().id();
    new Exceptions(exceptionStore, countermeasures, devices, desired, clock)
        .add(pulled, "web-2", "maintenance window", Duration.ofHours(1), "bob");
    applied("web-1");
    Instant periodStart = clock.instant();
    clock.advance(Duration.ofHours(2));
    approvals.withdraw(pulled, "carol");

    assertEquals(List.of(), report().build().countermeasures(), "now: nothing in force");
    var period = report().build(periodStart, null);
    assertEquals(List.of(pulled), period.countermeasures().stream().map(c -> c.countermeasure().id()).toList());
    var rows = rowsOf(period, pulled);
    assertEquals("withdrawn", rows.get("web-1").state());
    assertEquals(periodStart, rows.get("web-1").firstApplied(), "the evidence stays");
    assertTrue(rows.get("web-2").exception().startsWith("expired: maintenance window (by bob, until "),
        rows.get("web-2").exception());
    assertEquals(List.of(), report().build(clock.instant().plusSeconds(1), null).countermeasures(),
        "withdrawn before that period");
  }

  @Test
  void aCountermeasureHeldForASecondApprover_isInForceFromTheSecondApproval() {
    devices.upsertEnrolled("a", "nftables", List.of("edge"), clock.instant());
    var fourEyes = new Approvals(indicators, countermeasures, devices, new IndicatorTerms(), desired,
        GuardRails.withDefaults(List.of()), new ApprovalPolicy(true, -1), clock);
    var held = fourEyes.approve(List.of(indicator("a7", "198.51.100.40")), Countermeasure.Action.BLOCK,
        Scope.parse("all"), null, null, "", "", "alice", Severity.CRITICAL).countermeasure();
    clock.advance(Duration.ofHours(6));
    assertEquals(List.of(), new ChaseList(report()).lagging(ChaseSla.DEFAULT), "nothing to chase while it waits");
    assertEquals("awaiting second approval", rowsOf(report().build(), held.id()).get("a").state());
    var confirmed = fourEyes.confirm(held.id(), "bob").countermeasure();
    assertEquals(clock.instant(), confirmed.startsAt());
    assertEquals("bob", confirmed.secondApprover());
    clock.advance(Duration.ofHours(3));
    assertEquals(List.of(), new ChaseList(report()).lagging(ChaseSla.DEFAULT), "3 h since the second approval");
    clock.advance(Duration.ofHours(2));
    assertEquals(Duration.ofHours(5), new ChaseList(report()).lagging(ChaseSla.DEFAULT).get(0).laggingFor());
  }

  @Test
  void aScopeOfTagsAndNamedDevices_reachesExactlyThose_andALongListIsStored() {
    for (String d : List.of("fw-1", "fw-2", "core-9", "core-1")) {
      devices.upsertEnrolled(d, "nftables", List.of(d.startsWith("fw") ? "perimeter" : "core"), clock.instant());
    }
    desired.recomputeAll();
    long id = approvals.approve(List.of(indicator("a8", "198.51.100.50")), Countermeasure.Action.BLOCK,
        Scope.parse("tag:perimeter,device:core-9"), null, null, "", "", "alice", Severity.HIGH).countermeasure().id();
    assertEquals(java.util.Set.of("fw-1", "fw-2", "core-9"), rowsOf(report().build(), id).keySet());
    assertTrue(devices.currentDesired("core-9").orElseThrow().rules().contains("198.51.100.50"));
    assertTrue(!devices.currentDesired("core-1").orElseThrow().rules().contains("198.51.100.50"));
    String many = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "device:host-" + i)
        .collect(Collectors.joining(","));
    long wide = approvals.approve(List.of(indicator("a9", "198.51.100.51")), Countermeasure.Action.BLOCK,
        Scope.parse(many), null, null, "", "", "alice", Severity.LOW).countermeasure().id();
    assertEquals(many, countermeasures.find(wide).orElseThrow().scope().text(), many.length() + " characters kept");
  }

  @Test
  void sla_refusesUnknownSeveritiesAndNegativeDeadlines() {
    var e = assertThrows(InvalidRequestException.class, () -> ChaseSla.DEFAULT.with(Map.of("urgent", Duration.ofHours(1))));
    assertTrue(e.getMessage().contains("'urgent'"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> ChaseSla.DEFAULT.with(Map.of("high", Duration.ofHours(-1))));
    assertEquals(Duration.ofHours(4), ChaseSla.DEFAULT.deadlineFor(Severity.CRITICAL));
    assertEquals(Duration.ofDays(3), ChaseSla.DEFAULT.with(Map.of("critical", Duration.ofHours(1))).deadlineFor(Severity.MEDIUM));
    var bad = assertThrows(InvalidRequestException.class, () -> Severity.parse("severe"));
    assertTrue(bad.getMessage().contains("'severe'"), bad.getMessage());
  }
}
