package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.SharedTestData;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleIngestorTest {
  private Database db;
  private JdbcIndicatorStore indicators;
  private BundleIngestor ingestor;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    indicators = new JdbcIndicatorStore(db.jdbi(), MutableClock.at("2026-12-04T10:00:00Z"));
    ingestor = new BundleIngestor(indicators);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void demoBundle_storesItsIndicatorsOnce_andCountsTheOtherObjects() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/demo/wannacry-cve-2017-0144.json")) {
      var report = ingestor.ingest(in, "demo");
      assertEquals(5, report.stored());
      assertEquals(7, report.otherObjects());
      assertEquals(List.of(), report.rejected());
    }
    try (InputStream in = getClass().getResourceAsStream("/demo/wannacry-cve-2017-0144.json")) {
      var again = ingestor.ingest(in, "demo");
      assertEquals(0, again.stored());
      assertEquals(5, again.unchanged());
    }
  }

  @Test
  void brokenObject_isRejectedWithItsReason_andTheOthersAreStored() {
    String bundle = StixFixtures.bundleOfJson(List.of(
        StixFixtures.indicator(1, "[ipv4-addr:value = '192.0.2.1']"),
        "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"name\":\"no id\"}",
        StixFixtures.indicator(2, "[ipv4-addr:value = '192.0.2.2']")));
    var report = ingestor.ingest(stream(bundle), "test");
    assertEquals(2, report.stored());
    assertEquals(1, report.rejected().size());
    assertTrue(report.rejected().get(0).reason().contains("id"), report.rejected().get(0).reason());
  }

  @Test
  void notJson_isRefusedWithTheReason_andWhatWasStoredStays() {
    ingestor.ingest(stream(StixFixtures.bundle("[ipv4-addr:value = '192.0.2.1']")), "first");
    var e = assertThrows(InvalidRequestException.class, () -> ingestor.ingest(stream("{\"type\": \"bundle\", \"objects\": [ {"), "broken"));
    assertTrue(e.getMessage().startsWith("broken: not a STIX bundle"), e.getMessage());
    assertEquals(1, indicators.listLatest().size());
  }

  @Test
  void bundleBrokenAfterItsObjects_storesNothingOfIt_evenPastSeveralBatches() {
    ingestor.ingest(stream(StixFixtures.bundle("[ipv4-addr:value = '192.0.2.1']")), "first");
    List<String> objects = new ArrayList<>();
    for (int n = 1; n <= BundleIngestor.BATCH * 2 + 7; n++) {
      objects.add(StixFixtures.indicator(n, "[ipv4-addr:value = '198.51.100." + (n % 250) + "']"));
    }
    // STIX fixes no property order, so the reader sees the bad id only after every object.
    String bundle = "{\"objects\": [" + String.join(",", objects) + "], \"type\": \"bundle\", \"id\": \"bundle--x\"}";

    var e = assertThrows(InvalidRequestException.class, () -> ingestor.ingest(stream(bundle), "late"));

    assertTrue(e.getMessage().startsWith("late: not a STIX bundle: bundle 'id' 'bundle--x'"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(nothing from it was stored)"), e.getMessage());
    List<String> ids = ids();
    assertEquals(1, ids.size(), "indicators of the broken bundle were kept");
    assertEquals(StixFixtures.indicatorId(0), ids.get(0));
  }

  @Test
  void largeValidBundle_isStoredInBatches_andAgainChangesNothing() {
    List<String> objects = new ArrayList<>();
    int count = BundleIngestor.BATCH * 3 + 1;
    for (int n = 0; n < count; n++) {
      objects.add(StixFixtures.indicator(n, "[ipv4-addr:value = '203.0.113." + (n % 250) + "']"));
    }
    String bundle = StixFixtures.bundleOfJson(objects);

    assertEquals(count, ingestor.ingest(stream(bundle), "big").stored());
    var again = ingestor.ingest(stream(bundle), "big");
    assertEquals(0, again.stored());
    assertEquals(count, again.unchanged());
    assertEquals(count, indicators.listLatest().size());
  }

  @Test
  void twoVersionsInOneBundle_theNewerWins_inEitherOrder() {
    String older = StixFixtures.indicator(1, "[ipv4-addr:value = '192.0.2.1']");
    String newer = older.replace("\"modified\":\"" + StixFixtures.TIMESTAMP, "\"modified\":\"2018-01-01T00:00:00.000Z")
        .replace("192.0.2.1", "192.0.2.2");
    assertTrue(newer.contains("2018-01-01"), newer);

    var report = ingestor.ingest(stream(StixFixtures.bundleOfJson(List.of(newer, older))), "t");

    assertEquals(1, report.stored());
    assertEquals(1, report.unchanged());
    assertEquals("[ipv4-addr:value = '192.0.2.2']", indicators.findLatest(StixFixtures.indicatorId(1)).orElseThrow().pattern());
  }

  @Test
  void invalidPattern_isRejectedWithIdPositionAndTheParsersMessage() {
    String bundle = StixFixtures.bundle(
        "[ipv4-addr:value = '192.0.2.1']",
        "[ipv4-addr:value = '192.0.2.300']",
        "[file:hashes.MD5 = 'abc'] WITHIN 5 SECONDS WITHIN 6 SECONDS");

    var report = ingestor.ingest(stream(bundle), "t");

    assertEquals(1, report.stored());
    assertEquals(
        List.of(
            new BundleIngestor.Rejected(StixFixtures.indicatorId(1),
                "objects[1]: property 'pattern' is not a valid STIX pattern: at 19: '192.0.2.300' is not a valid"
                    + " IPv4 address or CIDR: each octet must be a number from 0 to 255 without leading zeros"),
            new BundleIngestor.Rejected(StixFixtures.indicatorId(2),
                "objects[2]: property 'pattern' is not a valid STIX pattern: at 19: 'abc' is not a valid MD5 hash:"
                    + " expected 32 hex digits")),
        report.rejected());
  }

  @Test
  void validPatternWithoutEnforceableTerm_isStored_andShowsAsUnsupported() {
    String bundle = StixFixtures.bundle(
        "[process:name = 'evil.exe'] FOLLOWEDBY [process:name NOT LIKE 'svc%'] WITHIN 300 SECONDS");

    assertEquals(1, ingestor.ingest(stream(bundle), "t").stored());

    var views = new IndicatorViews(indicators, new JdbcCountermeasureStore(db.jdbi()), new IndicatorTerms(),
        MutableClock.at("2026-12-04T10:00:00Z")).list();
    assertEquals(1, views.size());
    assertEquals("unsupported", views.get(0).status());
    assertFalse(views.get(0).detail().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "misp-stix-test_objects_collection_stix21.json, 3, 15, 0",
    "oasis-cti-documentation-apt1.json, 12, 64, 0",
    "oasis-cti-documentation-indicator-for-malicious-url.json, 1, 2, 0",
    "oasis-cti-documentation-poisonivy.json, 25, 130, 0",
    "oasis-json-schemas-indicators-for-C2-with-COA.json, 2, 6, 0",
    "oasis-json-schemas-malicious-email-indicator-with-attachment.json, 2, 4, 0",
    "unit42-2024-04-12-MidnightEclipse-STIX20.json, 0, 0, 31"
  })
  void sharedBundle_isIngestedWithTheExpectedCounts(String name, int stored, int others, int rejected)
      throws Exception {
    try (InputStream in = Files.newInputStream(SharedTestData.require("stix").resolve(name))) {
      var report = ingestor.ingest(in, name);

      assertEquals(List.of(stored, others, rejected), List.of(report.stored(), report.otherObjects(), report.rejected().size()),
          report::toString);
    }
    assertEquals(stored, indicators.listLatest().size());
  }

  @Test
  void medallionData_isNotABundle_andStoresNothing() throws Exception {
    try (InputStream in = Files.newInputStream(SharedTestData.require("stix").resolve("medallion-default_data.json"))) {
      var e = assertThrows(InvalidRequestException.class, () -> ingestor.ingest(in, "medallion"));
      assertTrue(e.getMessage().startsWith("medallion: not a STIX bundle: the bundle has no 'type'"), e.getMessage());
    }
    assertEquals(List.of(), indicators.listLatest());
  }

  private List<String> ids() {
    return indicators.listLatest().stream().map(StoredIndicator::id).toList();
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
