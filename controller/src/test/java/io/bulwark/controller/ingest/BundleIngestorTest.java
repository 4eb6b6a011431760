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
import io.bulwark.controller.store.JdbcStixObjectStore;
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
  private JdbcStixObjectStore objects;
  private BundleIngestor ingestor;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    indicators = new JdbcIndicatorStore(db.jdbi(), MutableClock.at("2026-12-04T10:00:00Z"));
    objects = new JdbcStixObjectStore(db.jdbi(), MutableClock.at("2026-12-04T10:00:00Z"));
    ingestor = new BundleIngestor(indicators, objects, BundleIngestor.Hook.NONE, AllowlistCheck.NONE);
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
      assertEquals(7, report.otherStored());
      assertEquals(List.of(), report.rejected());
    }
    try (InputStream in = getClass().getResourceAsStream("/demo/wannacry-cve-2017-0144.json")) {
      var again = ingestor.ingest(in, "demo");
      assertEquals(0, again.stored());
      assertEquals(5, again.unchanged());
      assertEquals(7, again.otherObjects());
      assertEquals(0, again.otherStored());
    }
    var coa = objects.findLatest("course-of-action--3e9d4c2b-1a0f-4e8d-9c7b-6a5f4e3d2c1b").orElseThrow();
    assertEquals("course-of-action", coa.type());
    assertEquals("2.1", coa.specVersion());
    assertTrue(coa.json().contains("\"Block inbound SMB (TCP 445)\""), coa.json());
    assertEquals(List.of("relationship--2b3c4d5e-6f70-4182-9a3b-4c5d6e7f8091",
            "relationship--8f7e6d5c-4b3a-4291-8e0f-1a2b3c4d5e6f"),
        objects.relationshipsOf(List.of(coa.id())).stream().map(o -> o.id()).toList());
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
  void manyBrokenObjects_areAllCounted_butOnlyTheFirstThousandListed() {
    List<String> objects = new ArrayList<>();
    for (int n = 0; n < 1500; n++) {
      objects.add("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"name\":\"no id " + n + "\"}");
    }
    objects.add(StixFixtures.indicator(1, "[ipv4-addr:value = '192.0.2.1']"));

    var report = ingestor.ingest(stream(StixFixtures.bundleOfJson(objects)), "hostile");

    assertEquals(1, report.stored());
    assertEquals(1500, report.rejectedCount());
    assertEquals(BundleIngestor.MAX_LISTED, report.rejected().size());
    assertTrue(report.rejected().get(999).reason().startsWith("objects[999]: "), report.rejected().get(999).reason());
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
  void bundleBrokenAfterItsObjects_keepsNoneOfItsOtherObjects() throws Exception {
    String demo;
    try (InputStream in = getClass().getResourceAsStream("/demo/wannacry-cve-2017-0144.json")) {
      demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String broken = demo.replaceFirst("\"id\":\\s*\"bundle--[0-9a-f-]+\"", "\"id\": \"bundle--x\"");
    assertTrue(broken.contains("bundle--x"), "the fixture's bundle id was replaced");

    assertThrows(InvalidRequestException.class, () -> ingestor.ingest(stream(broken), "late"));

    assertEquals(List.of(), objects.findLatest(List.of("course-of-action--3e9d4c2b-1a0f-4e8d-9c7b-6a5f4e3d2c1b",
        "vulnerability--0a56e5f6-6a0f-4b77-9f0c-2f0a3a7f4e11")));
    assertEquals(List.of(), ids());
  }

  @Test
  void stix20Indicators_areStoredAs20_andTheirPatternsAreReadBy20() {
    String plain = stix20Indicator("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "[ipv4-addr:value = '198.51.100.9']");
    String windowed = stix20Indicator("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
        "[ipv4-addr:value = '198.51.100.10'] START '2024-04-12T00:00:00Z' STOP '2024-05-12T00:00:00Z'");

    var report = ingestor.ingest(stream(StixFixtures.bundleOfJson(List.of(plain, windowed))), "v20");

    assertEquals(2, report.stored(), report::toString);
    StoredIndicator first = indicators.findLatest("indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d").orElseThrow();
    assertEquals("2.0", first.specVersion());
    assertEquals("stix", first.patternType());
    assertEquals(1, new IndicatorTerms().of(first).terms().size());
    StoredIndicator second = indicators.findLatest("indicator--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e").orElseThrow();
    // Parsed by the 2.0 grammar: a qualified observation, not enforced, rather than a pattern that does not parse.
    assertEquals("[Unenforceable[reason=unsupported observation expression [ipv4-addr:value = '198.51.100.10']"
            + " START t'2024-04-12T00:00:00Z' STOP t'2024-05-12T00:00:00Z']]",
        new IndicatorTerms().of(second).unenforceable().toString());
  }

  private static String stix20Indicator(String uuid, String pattern) {
    return "{\"type\": \"indicator\", \"id\": \"indicator--" + uuid + "\","
        + " \"created\": \"2024-04-25T18:50:00.001Z\", \"modified\": \"2024-04-25T18:50:00.001Z\","
        + " \"labels\": [\"malicious-activity\"], \"valid_from\": \"2024-04-12T00:00:00Z\","
        + " \"pattern\": \"" + pattern + "\"}";
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
        new TlpMarkings(objects),
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
    "unit42-2024-04-12-MidnightEclipse-STIX20.json, 29, 1, 0"
  })
  void sharedBundle_isIngestedWithTheExpectedCounts(String name, int stored, int others, int rejected)
      throws Exception {
    try (InputStream in = Files.newInputStream(SharedTestData.require("stix").resolve(name))) {
      var report = ingestor.ingest(in, name);

      assertEquals(List.of(stored, others, rejected), List.of(report.stored(), report.otherObjects(), report.rejected().size()),
          report::toString);
    }
    assertEquals(stored, indicators.listLatest().size());
    String version = name.contains("STIX20") ? "2.0" : "2.1";
    indicators.listLatest().forEach(i -> assertEquals(version, i.specVersion(), i.id()));
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
