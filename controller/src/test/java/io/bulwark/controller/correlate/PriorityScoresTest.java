package io.bulwark.controller.correlate;

import static io.bulwark.controller.correlate.CorrelationIndexTest.id;
import static io.bulwark.controller.correlate.CorrelationIndexTest.indicator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.FeedTrust;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.ingest.ReportRecorder;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorReportStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PriorityScoresTest {
  private static final String MALWARE = "malware--11111111-1111-4111-8111-111111111111";
  private Database db;
  private final Map<String, FeedTrust> trust = new HashMap<>();
  private BundleIngestor ingestor;
  private PriorityScores scores;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var clock = MutableClock.at("2017-08-10T08:00:00Z"); // 90 days after the fixtures' created time
    var index = new CorrelationIndex(db.jdbi());
    var reports = new JdbcIndicatorReportStore(db.jdbi());
    var objects = new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(), clock);
    ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), objects,
        BundleIngestor.Hook.all(index, new ReportRecorder(reports, clock)), io.bulwark.controller.ingest.AllowlistCheck.NONE);
    scores = new PriorityScores(db.jdbi(), index, reports, () -> trust, clock, new LinkedVulnerabilities(objects));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void ingest(String source, String... objects) {
    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(List.of(objects))), source);
    assertEquals(List.of(), report.rejected());
  }

  @Test
  void score_addsConfidenceSourcesAndLinks_andSubtractsAge() {
    ingest("feed-a", indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("name", "x").put("confidence", 80)),
        indicator(3, "[ipv4-addr:value = '192.0.2.3']", o -> { }),
        CorrelationIndexTest.relationship(1, "indicates", id(1), MALWARE),
        CorrelationIndexTest.relationship(3, "indicates", id(3), MALWARE));
    ingest("feed-b", indicator(2, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("name", "x").put("confidence", 80)
        .put("created", "2017-05-11T08:00:00.000Z")));
    var s = scores.score(id(1));
    // 0.4*80 + 10*2 sources (duplicate from feed-b) + 5*1 related-high - 90 days/30
    assertEquals(32 + 20 + 5 - 3, s.score());
    assertEquals("confidence 80 (+32), 2 sources (+20), 1 related-high (+5), 90 days old (-3)", s.why());
  }

  @Test
  void rank_ordersHighestFirst() {
    ingest("feed", indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("confidence", 10)),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> o.put("confidence", 90)),
        indicator(3, "[ipv4-addr:value = '192.0.2.3']", o -> { }));
    assertEquals(List.of(id(2), id(3), id(1)),
        scores.rank(List.of(id(1), id(2), id(3))).stream().map(PriorityScores.Score::indicatorId).toList());
    assertEquals("confidence 50 (default) (+20), 1 source (+10), 0 related-high (+0), 90 days old (-3)",
        scores.score(id(3)).why());
  }

  @Test
  void sameIndicatorFromTwoFeeds_countsBoth_weighedByTheirTrust() {
    trust.put("taxii:vendor", FeedTrust.HIGH);
    trust.put("taxii:forum", FeedTrust.LOW);
    String one = indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("confidence", 50));
    ingest("taxii:forum", one);
    assertEquals(20 + 5 - 3, scores.score(id(1)).score());
    ingest("taxii:vendor", one); // unchanged, but reported again by another feed
    var s = scores.score(id(1));
    assertEquals(20 + 15 + 5 - 3, s.score(), s.why());
    assertEquals("confidence 50 (+20), 2 sources (high 1, low 1) (+20), 0 related-high (+0), 90 days old (-3)", s.why());
  }

  @Test
  void oneProducerRelayedByTwoFeeds_isOneReporter_atTheHigherTrust() {
    trust.put("taxii:vendor", FeedTrust.HIGH);
    String one = indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("confidence", 50)
        .put("created_by_ref", "identity--22222222-2222-4222-8222-222222222222"));
    ingest("taxii:forum", one);
    ingest("taxii:vendor", one);
    var s = scores.score(id(1));
    assertEquals(20 + 15 - 3, s.score(), s.why());
    assertTrue(s.contributions().get(1).detail().contains("via taxii:forum, taxii:vendor"), s.contributions().toString());
  }

  private static String sighting(int n, String modified, String count) {
    return "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"sighting--33333333-3333-4333-8333-33333333333" + n
        + "\",\"created\":\"2017-05-12T08:00:00.000Z\",\"modified\":\"" + modified + "\",\"sighting_of_ref\":\""
        + id(1) + "\"" + (count == null ? "" : ",\"count\":" + count) + "}";
  }

  @Test
  void sightings_countByTheirNewestVersion_andHostileCountsCountOnce() {
    ingest("taxii:a", indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("confidence", 50)),
        sighting(1, "2017-05-12T08:00:00.000Z", "2"), sighting(2, "2017-05-12T08:00:00.000Z", null));
    assertEquals(20 + 10 + 2 * 3 - 3, scores.score(id(1)).score(), scores.score(id(1)).why());
    ingest("taxii:b", sighting(1, "2017-05-12T08:00:00.000Z", "2")); // the same version again
    ingest("taxii:b", sighting(2, "2017-05-13T08:00:00.000Z", "-5")); // a newer version, a count out of range
    var s = scores.score(id(1));
    assertEquals("confidence 50 (+20), 1 source (+10), 0 related-high (+0), 3 sightings (+6), 90 days old (-3)", s.why());
    ingest("taxii:b", sighting(1, "2017-05-14T08:00:00.000Z", "40"));
    assertEquals(20 + 10 + 10 - 3, scores.score(id(1)).score(), scores.score(id(1)).why());
  }
  @Test
  void linkedVulnerability_addsItsSeverity_throughARelationshipOrTheCveItCites() {
    String critical = "{\"type\":\"vulnerability\",\"spec_version\":\"2.1\","
        + "\"id\":\"vulnerability--22222222-2222-4222-8222-222222222222\",\"created\":\"2017-05-01T00:00:00Z\","
        + "\"modified\":\"2017-05-01T00:00:00Z\",\"name\":\"CVE-2017-0144\",\"x_cvss_v3\":{\"base_score\":8.1,"
        + "\"cvss_base_score\":9.8}}";
    String medium = "{\"type\":\"vulnerability\",\"spec_version\":\"2.1\","
        + "\"id\":\"vulnerability--33333333-3333-4333-8333-333333333333\",\"created\":\"2017-05-01T00:00:00Z\","
        + "\"modified\":\"2017-05-01T00:00:00Z\",\"name\":\"cve-2020-0001\",\"x_severity\":\"Medium\"}";
    ingest("feed-a", critical, medium,
        indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> { }),
        CorrelationIndexTest.relationship(1, "indicates", id(1), MALWARE),
        CorrelationIndexTest.relationship(2, "exploits", MALWARE, "vulnerability--22222222-2222-4222-8222-222222222222"),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> o.putArray("external_references").addObject()
            .put("source_name", "cve").put("external_id", "CVE-2020-0001")),
        indicator(3, "[ipv4-addr:value = '192.0.2.3']", o -> { }));

    var viaMalware = scores.score(id(1));
    var viaCve = scores.score(id(2));
    var none = scores.score(id(3));

    assertTrue(viaMalware.why().contains("CVE-2017-0144 critical (+15)"), viaMalware.why());
    assertTrue(viaCve.why().contains("CVE-2020-0001 medium (+5)"), viaCve.why());
    assertEquals(none.score() + 15, viaMalware.score(), viaMalware.why() + " / " + none.why());
    assertTrue(none.contributions().stream().anyMatch(c -> c.factor().equals("vulnerability") && c.points() == 0
        && c.detail().equals("none linked")));
  }
}
