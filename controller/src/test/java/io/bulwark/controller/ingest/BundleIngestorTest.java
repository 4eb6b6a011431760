package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
