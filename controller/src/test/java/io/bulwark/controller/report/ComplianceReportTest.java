package io.bulwark.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A scenario with compliant, failed, never-connected and out-of-scope devices, field by field. */
class ComplianceReportTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void report_showsEachDeviceInScopeWithItsStateEvidenceAndTimeToApply_andWhoToChase() throws Exception {
    db = TestDatabases.freshH2();
    var devices = new JdbcDeviceStore(db.jdbi());
    var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    var countermeasures = new JdbcCountermeasureStore(db.jdbi());
    var audit = new JdbcAuditLog(db.jdbi(), clock);
    var terms = new IndicatorTerms();
    var exceptionStore = new io.bulwark.controller.store.JdbcExceptionStore(db.jdbi());
    var desired = new DesiredStates(devices,
        new RuleSetCompiler(countermeasures, indicators, terms, GeneratorRegistry.load(), exceptionStore, clock),
        new AgentSessions());
    var approvals = new Approvals(indicators, countermeasures, devices, terms, desired, GuardRails.withDefaults(List.of()),
        ApprovalPolicy.SINGLE, clock);
    for (String d : List.of("edge-1", "edge-2", "edge-3", "edge-4")) {
      devices.upsertEnrolled(d, "nftables", List.of("perimeter"), clock.instant());
    }
    devices.upsertEnrolled("core-1", "nftables", List.of("core"), clock.instant());
    desired.recomputeAll();
    String id = "indicator--00000000-0000-4000-8000-0000000000a1";
    indicators.offer(new StoredIndicator(id, clock.instant(), "scanner", "[ipv4-addr:value = '203.0.113.5']", "stix",
        clock.instant(), null, false, "test",
        "{\"object_marking_refs\":[\"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed\"]}"));
    Instant approvedAt = clock.instant();
    var approved = approvals.approve(List.of(id), Countermeasure.Action.BLOCK, Scope.parse("tag:perimeter"), null, "", "", "alice");
    String digest2 = devices.currentDesired("edge-1").orElseThrow().digest();
    var exceptions = new io.bulwark.controller.approve.Exceptions(exceptionStore, countermeasures, devices, desired, clock);
    exceptions.add(approved.countermeasure().id(), "edge-4", "lab box, isolated", Duration.ofDays(7), "bob");
    assertEquals(3, devices.currentDesired("edge-4").orElseThrow().generation(), "the exception is a new generation");
    org.junit.jupiter.api.Assertions.assertFalse(devices.currentDesired("edge-4").orElseThrow().rules().contains("203.0.113.5"));

    clock.advance(Duration.ofSeconds(42));
    devices.markConnected("edge-1", true, clock.instant());
    devices.recordReport("edge-1", new ApplyReport(2, digest2, 2, ApplyReport.Outcome.APPLIED, "", clock.instant()));
    devices.markConnected("edge-2", true, clock.instant());
    devices.recordReport("edge-2", new ApplyReport(0, "", 2, ApplyReport.Outcome.FAILED, "Error: set full", clock.instant()));

    var report = new ComplianceReport(devices, countermeasures, audit, exceptionStore, clock).build();
    Map<String, ComplianceReport.DeviceRow> rows =
        report.devices().stream().collect(Collectors.toMap(ComplianceReport.DeviceRow::device, r -> r));
    assertEquals(4, rows.size(), "core-1 is out of scope");
    assertEquals("excepted", rows.get("edge-4").state());
    org.junit.jupiter.api.Assertions.assertTrue(rows.get("edge-4").exception().startsWith("lab box, isolated (by bob, until "));
    var ok = rows.get("edge-1");
    assertEquals("compliant", ok.state());
    assertEquals(approvedAt.plusSeconds(42), ok.firstApplied());
    assertEquals(Duration.ofSeconds(42), ok.timeToApply());
    assertEquals(2, ok.appliedGeneration());
    assertEquals(digest2, ok.appliedDigest());
    assertEquals("failed", rows.get("edge-2").state());
    assertEquals("Error: set full", rows.get("edge-2").error());
    assertNull(rows.get("edge-2").firstApplied());
    assertEquals("enrolled", rows.get("edge-3").state());

    var summary = report.countermeasures().get(0);
    assertEquals(approved.countermeasure().id(), summary.countermeasure().id());
    assertEquals(4, summary.inScope());
    assertEquals(1, summary.compliant());
    assertNull(summary.timeToFullyApplied());

    var chase = new ChaseList(new ComplianceReport(devices, countermeasures, audit, exceptionStore, clock));
    assertEquals(List.of(), chase.lagging(Duration.ofHours(4)), "nobody lags before the deadline");
    clock.advance(Duration.ofHours(5));
    var lagging = chase.lagging(Duration.ofHours(4));
    assertEquals(List.of("edge-2", "edge-3"), lagging.stream().map(ChaseList.Lagging::device).toList(),
        "compliant and excepted devices are not chased");
    assertEquals("Error: set full", lagging.get(0).error());
    var withheld = chase.withRedWithheld(new IntelMarkings(indicators,
        new io.bulwark.controller.ingest.TlpMarkings(new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(), clock)))).lagging(Duration.ofHours(4));
    assertEquals(List.of("edge-2", "edge-3"), withheld.stream().map(ChaseList.Lagging::device).toList());
    assertEquals(List.of(IntelMarkings.WITHHELD, ""), withheld.stream().map(ChaseList.Lagging::error).toList(),
        "the indicator is TLP:RED: its device's error may quote it");

    var received = new java.util.concurrent.atomic.AtomicReference<String>();
    var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      received.set(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    try {
      var job = new io.bulwark.controller.schedule.ChaseReminderJob(chase,
          java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), ChaseSla.uniform(Duration.ofHours(4)));
      assertEquals(204, job.remind());
      org.junit.jupiter.api.Assertions.assertTrue(received.get().contains("\"device\":\"edge-2\"")
          && received.get().contains("\"kind\":\"bulwark.chase\""), received.get());
    } finally {
      server.stop(0);
    }
  }
}
