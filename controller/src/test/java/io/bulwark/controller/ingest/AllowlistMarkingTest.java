package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ingest marks what the guard rails would refuse to approve, and the views show it. */
class AllowlistMarkingTest {
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private Database db;
  private JdbcIndicatorStore indicators;
  private BundleIngestor ingestor;
  private AllowlistCheck allowlist;

  @BeforeEach
  void open() throws Exception {
    db = TestDatabases.freshH2();
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    allowlist = GuardRails.withDefaults(List.of(InetAddress.getByName("198.51.100.20"))).allowlistCheck(new IndicatorTerms());
    ingestor = new BundleIngestor(indicators, BundleIngestor.Hook.NONE, allowlist);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private BundleIngestor.Report ingest(String... patterns) {
    List<String> objects = new java.util.ArrayList<>();
    for (int i = 0; i < patterns.length; i++) {
      objects.add(StixFixtures.indicator(i + 1, patterns[i]));
    }
    return ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(objects)), "t");
  }

  @Test
  void ingest_marksResolversPrivateRangesAndTheControllersAddress_notOrdinaryAddresses() {
    var report = ingest("[ipv4-addr:value = '8.8.8.8'] OR [domain-name:value = 'evil.example']",
        "[ipv4-addr:value = '10.20.0.0/16']",
        "[ipv4-addr:value = '198.51.100.0/24']",
        "[ipv4-addr:value = '203.0.113.9']");

    Map<String, List<String>> hits = report.allowlisted().stream()
        .collect(Collectors.toMap(BundleIngestor.Allowlisted::indicatorId, BundleIngestor.Allowlisted::collisions));
    assertEquals(3, hits.size(), hits.toString());
    assertEquals(List.of("8.8.8.8 overlaps 8.8.8.8 (public resolver)"), hits.get(StixFixtures.indicatorId(1)));
    assertTrue(hits.get(StixFixtures.indicatorId(2)).get(0).contains("private (RFC 1918)"), hits.toString());
    assertTrue(hits.get(StixFixtures.indicatorId(3)).get(0).contains("the controller's own address"), hits.toString());
    assertEquals(4, report.stored());
  }

  @Test
  void reingestOfAnUnchangedVersion_isNotMarkedAgain_butTheViewStillShowsIt() {
    ingest("[ipv4-addr:value = '1.1.1.1']");
    var again = ingest("[ipv4-addr:value = '1.1.1.1']");
    assertEquals(List.of(), again.allowlisted());

    var views = new IndicatorViews(indicators, new JdbcCountermeasureStore(db.jdbi()), new IndicatorTerms(), allowlist,
        new TlpMarkings(new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(), clock)), clock).list();
    assertEquals(List.of("1.1.1.1 overlaps 1.1.1.1 (public resolver)"), views.get(0).allowlist());
    assertEquals("new", views.get(0).status());
  }
}
