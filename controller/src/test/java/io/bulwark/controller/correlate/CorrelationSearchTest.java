package io.bulwark.controller.correlate;

import static io.bulwark.controller.correlate.CorrelationIndexTest.cve;
import static io.bulwark.controller.correlate.CorrelationIndexTest.id;
import static io.bulwark.controller.correlate.CorrelationIndexTest.indicator;
import static io.bulwark.controller.correlate.CorrelationIndexTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorrelationSearchTest {
  private Database db;
  private CorrelationSearch search;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var ingestor = new BundleIngestor(
        new JdbcIndicatorStore(db.jdbi(), MutableClock.at("2026-12-04T10:00:00Z")), new CorrelationIndex(db.jdbi()));
    search = new CorrelationSearch(db.jdbi());
    String bundle = StixFixtures.bundleOfJson(List.of(
        indicator(1, "[ipv4-addr:value = '198.51.100.0/24']", o -> o.put("name", "Scanner net")),
        indicator(2, "[ipv4-addr:value = '198.51.0.0/16']", o -> o.put("description", "Wide block, SMB worm")),
        indicator(3, "[domain-name:value = 'evil.example']",
            o -> o.set("external_references", json("[" + cve("CVE-2017-0144") + "]"))),
        indicator(4, "[url:value = 'http://evil.example/drop.php']", o -> { }),
        indicator(5, "[file:hashes.'SHA-256' = '" + "ab".repeat(32) + "']", o -> o.put("name", "Dropper")),
        indicator(6, "[email-message:from_ref.value = 'CEO@Evil.example']", o -> { })));
    ingestor.ingest(StixFixtures.stream(bundle), "test");
  }

  @AfterEach
  void close() {
    db.close();
  }

  private List<String> ids(String term) {
    return search.search(term).stream().map(Hit::indicatorId).toList();
  }

  @Test
  void address_findsTheCidrsContainingIt() {
    List<Hit> hits = search.search("198.51.100.7");
    assertEquals(java.util.Set.of(id(1), id(2)), java.util.Set.copyOf(hits.stream().map(Hit::indicatorId).toList()));
    assertEquals("198.51.100.0/24 contains 198.51.100.7",
        hits.stream().filter(h -> h.indicatorId().equals(id(1))).findFirst().orElseThrow().why());
  }

  @Test
  void defangedAddress_isSearchedAsTyped() {
    assertEquals(ids("198.51.100.7"), ids("198.51.100[.]7"));
  }

  @Test
  void cidr_findsTheCidrsInsideAndAroundIt() {
    assertEquals(java.util.Set.of(id(1), id(2)), java.util.Set.copyOf(ids("198.51.100.0/24")));
    assertEquals("lies inside 198.51.0.0/16",
        search.search("198.51.0.0/16").stream().filter(h -> h.indicatorId().equals(id(1))).findFirst().orElseThrow()
            .why().replace("198.51.100.0/24 ", ""));
    assertEquals(List.of(), ids("203.0.113.1"));
  }

  @Test
  void cve_findsTheIndicatorsCitingIt_inAnyCase() {
    assertEquals(List.of(id(3)), ids("cve-2017-0144"));
    assertEquals(List.of(id(3)), ids("CVE-2017-0144"));
    assertEquals(List.of(), ids("CVE-2017-0145"));
  }

  @Test
  void value_findsDomainUrlAndHash() {
    assertEquals(List.of(id(3)), ids("evil[.]example"));
    assertEquals(List.of(id(4)), ids("hxxp://evil[.]example/drop.php"));
    assertEquals(List.of(id(5)), ids("AB".repeat(32)));
  }

  @Test
  void stixId_findsTheIndicator() {
    assertEquals(List.of(id(3)), ids(id(3)));
  }

  @Test
  void text_findsNameAndDescription_caseInsensitive() {
    assertEquals(List.of(id(2)), ids("smb WORM"));
    assertEquals(List.of(id(5)), ids("dropper"));
    assertEquals(List.of(), ids("100%_"));
  }
  @Test
  void emailAddress_findsTheIndicatorsNamingIt_inAnyCase() {
    assertEquals(List.of(id(6)), ids("ceo@EVIL.example"));
    assertEquals(List.of(), ids("cfo@evil.example"));
  }
}
