package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.correlate.CorrelationIndex;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorReportStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bundles around {@link BundleIngestor#BATCH}, with the correlation index and the report recorder. */
class BatchBoundariesTest {
  private Database db;
  private JdbcIndicatorStore indicators;
  private JdbcIndicatorReportStore reports;
  private io.bulwark.controller.store.JdbcStixObjectStore objects;
  private BundleIngestor ingestor;

  /** The database the tests run on; {@link BatchBoundariesPostgresIT} runs them on PostgreSQL. */
  Database database() {
    return TestDatabases.freshH2();
  }

  /** Called after each test, once the database is closed. */
  void dropDatabase() {}

  @BeforeEach
  void open() {
    db = database();
    MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
    indicators = new JdbcIndicatorStore(db.jdbi(), clock);
    reports = new JdbcIndicatorReportStore(db.jdbi());
    objects = new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(), clock);
    ingestor = new BundleIngestor(indicators, objects,
        BundleIngestor.Hook.all(new CorrelationIndex(db.jdbi()), new ReportRecorder(reports, clock)), AllowlistCheck.NONE);
  }

  @AfterEach
  void close() {
    db.close();
    dropDatabase();
  }

  @ParameterizedTest
  @ValueSource(ints = {BundleIngestor.BATCH - 1, BundleIngestor.BATCH, BundleIngestor.BATCH + 1, BundleIngestor.BATCH * 2})
  void bundleAroundTheBatchSize_isIndexedAndReportedOnce_andAgainChangesNothing(int count) {
    String bundle = StixFixtures.bundleOfJson(indicators(0, count, 0));

    var first = ingestor.ingest(StixFixtures.stream(bundle), "feed");
    var again = ingestor.ingest(StixFixtures.stream(bundle), "feed");

    assertEquals(count, first.stored());
    assertEquals(0, again.stored());
    assertEquals(count, again.unchanged());
    assertEquals(count, rows("SELECT COUNT(*) FROM indicator_versions"));
    assertEquals(count, rows("SELECT COUNT(*) FROM correlation_docs"));
    assertEquals(count, rows("SELECT COUNT(*) FROM correlation_ranges"));
    assertEquals(count, rows("SELECT COUNT(*) FROM correlation_keys WHERE kind = 'content'"));
    assertEquals(count, rows("SELECT COUNT(*) FROM indicator_reports WHERE times = 2"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, BundleIngestor.BATCH / 2, BundleIngestor.BATCH - 1, BundleIngestor.BATCH})
  void badObjectInsideABatch_isRejectedAtItsPosition_andEveryOtherIsStored(int at) {
    List<String> objects = indicators(0, BundleIngestor.BATCH + 10, 0);
    objects.set(at, StixFixtures.indicator(at, "[ipv4-addr:value = '192.0.2.300']"));

    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(objects)), "feed");

    assertEquals(BundleIngestor.BATCH + 9, report.stored());
    assertEquals(1, report.rejected().size());
    assertEquals(StixFixtures.indicatorId(at), report.rejected().get(0).objectId());
    assertTrue(report.rejected().get(0).reason().startsWith("objects[" + at + "]: "), report.rejected().get(0).reason());
    assertEquals(BundleIngestor.BATCH + 9, rows("SELECT COUNT(*) FROM correlation_docs"));
    assertEquals(0, rows("SELECT COUNT(*) FROM indicator_versions WHERE id = '" + StixFixtures.indicatorId(at) + "'"));
  }

  @Test
  void newerVersionInALaterBatch_replacesTheIndexRowsOfTheFirst() {
    List<String> objects = indicators(0, BundleIngestor.BATCH, 0);
    objects.add(newer(StixFixtures.indicator(3, "[ipv4-addr:value = '198.51.100.77']")));

    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(objects)), "feed");

    assertEquals(BundleIngestor.BATCH + 1, report.stored());
    String id = StixFixtures.indicatorId(3);
    assertEquals(1, rows("SELECT COUNT(*) FROM correlation_docs WHERE indicator_id = '" + id + "'"));
    assertEquals(List.of("198.51.100.77"), prefixes(id));
    assertEquals(1, rows("SELECT COUNT(*) FROM correlation_keys WHERE kind = 'content' AND indicator_id = '" + id + "'"));
    assertEquals(1, rows("SELECT COUNT(*) FROM indicator_reports WHERE indicator_id = '" + id + "'"));
  }

  @Test
  void twoVersionsOfANewIdInOneBatch_leaveOneSetOfIndexRows_ofTheNewer() {
    List<String> objects = indicators(0, 5, 0);
    objects.add(newer(StixFixtures.indicator(2, "[ipv4-addr:value = '198.51.100.78']")));

    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(objects)), "feed");

    assertEquals(6, report.stored());
    String id = StixFixtures.indicatorId(2);
    assertEquals(List.of("198.51.100.78"), prefixes(id));
    assertEquals(1, rows("SELECT COUNT(*) FROM correlation_docs WHERE indicator_id = '" + id + "'"));
  }

  @Test
  void newerVersionInALaterBundle_replacesTheIndexRows_andCountsTheReportTwice() {
    ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(indicators(0, 3, 0))), "feed");

    ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(
        List.of(newer(StixFixtures.indicator(1, "[ipv4-addr:value = '198.51.100.79']"))))), "feed");

    String id = StixFixtures.indicatorId(1);
    assertEquals(List.of("198.51.100.79"), prefixes(id));
    assertEquals(2, rows("SELECT times FROM indicator_reports WHERE indicator_id = '" + id + "'"));
  }

  @Test
  void idsOverSeveralLookupChunks_areFoundOnce_theNewestVersionOfEach_inIdOrder() {
    int count = io.bulwark.controller.store.Chunks.SIZE * 2 + 3;
    List<String> objects = indicators(0, count, 0);
    objects.add(newer(StixFixtures.indicator(7, "[ipv4-addr:value = '198.51.100.80']")));
    ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(objects)), "feed");
    List<String> ids = new ArrayList<>();
    for (int n = count - 1; n >= 0; n--) {
      ids.add(StixFixtures.indicatorId(n));
    }

    var found = indicators.findLatest(
        java.util.stream.Stream.concat(ids.stream(), java.util.stream.Stream.of("indicator--unknown")).toList());

    assertEquals(ids.stream().sorted().toList(), found.stream().map(i -> i.id()).toList(), "each once, in id order");
    assertEquals(List.of("[ipv4-addr:value = '198.51.100.80']"),
        found.stream().filter(i -> i.id().equals(StixFixtures.indicatorId(7))).map(i -> i.pattern()).toList());
  }

  private static List<String> indicators(int from, int count, int salt) {
    List<String> objects = new ArrayList<>(count);
    for (int n = from; n < from + count; n++) {
      objects.add(StixFixtures.indicator(n, "[ipv4-addr:value = '10." + salt + "." + (n >> 8) + "." + (n & 0xff) + "']"));
    }
    return objects;
  }

  private static String newer(String indicator) {
    String newer = indicator.replace("\"modified\":\"" + StixFixtures.TIMESTAMP, "\"modified\":\"2018-01-01T00:00:00.000Z");
    assertTrue(newer.contains("2018-01-01"), newer);
    return newer;
  }

  private List<String> prefixes(String id) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT prefix FROM correlation_ranges WHERE indicator_id = :id")
        .bind("id", id).mapTo(String.class).list());
  }

  private long rows(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
  @Test
  void valuesTheStoreCannotHold_costOnlyTheirOwnObject_neverTheBundle() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var longName = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
        StixFixtures.indicator(1, "[ipv4-addr:value = '198.51.100.1']"));
    longName.put("name", "n".repeat(3000));
    var longType = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
        StixFixtures.indicator(2, "[ipv4-addr:value = '198.51.100.2']"));
    longType.put("pattern_type", "x".repeat(100));
    var nulName = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
        StixFixtures.indicator(3, "[ipv4-addr:value = '198.51.100.3']"));
    nulName.put("name", "bad\u0000name");
    var nulMalware = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
        StixFixtures.domainObject("malware", 1, "x"));
    nulMalware.put("description", "nul \u0000 inside");
    String bundle = StixFixtures.bundleOfJson(List.of(longName.toString(), longType.toString(), nulName.toString(),
        nulMalware.toString(), StixFixtures.indicator(4, "[ipv4-addr:value = '198.51.100.4']")));

    var report = ingestor.ingest(StixFixtures.stream(bundle), "s".repeat(2000));

    assertEquals(2, report.stored(), report::toString);
    assertEquals(1, report.otherStored(), report::toString);
    assertEquals(List.of(StixFixtures.indicatorId(2), StixFixtures.indicatorId(3)),
        report.rejected().stream().map(BundleIngestor.Rejected::objectId).toList());
    assertEquals("objects[1]: property 'pattern_type' is longer than 64 characters", report.rejected().get(0).reason());
    assertEquals("objects[2]: property 'name' contains a NUL character (U+0000)", report.rejected().get(1).reason());
    var stored = indicators.findLatest(StixFixtures.indicatorId(1)).orElseThrow();
    assertEquals(1024, stored.name().length(), "the name is cut for display");
    assertTrue(stored.json().contains("n".repeat(3000)), "the object keeps all of it");
    assertEquals(1024, stored.source().length());
    assertTrue(objects.findLatest(StixFixtures.objectId("malware", 1)).orElseThrow().json().contains("\\u0000"),
        "escaped in the JSON it is kept as");
  }
}
