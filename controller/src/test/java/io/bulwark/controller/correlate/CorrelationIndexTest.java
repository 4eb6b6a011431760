package io.bulwark.controller.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.StixFixtures;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorrelationIndexTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private Database db;
  private BundleIngestor ingestor;
  private CorrelationIndex index;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    index = new CorrelationIndex(db.jdbi());
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock),
        new io.bulwark.controller.store.JdbcStixObjectStore(db.jdbi(), clock), index,
        io.bulwark.controller.ingest.AllowlistCheck.NONE);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** Fixture indicator {@code n} with {@code pattern}, changed by {@code edit}. */
  static String indicator(int n, String pattern, Consumer<ObjectNode> edit) {
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(StixFixtures.indicator(n, pattern));
      edit.accept(node);
      return node.toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static String relationship(int n, String type, String source, String target) {
    return "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--00000000-0000-4000-8000-"
        + String.format("%012d", n) + "\",\"created\":\"" + StixFixtures.TIMESTAMP + "\",\"modified\":\""
        + StixFixtures.TIMESTAMP + "\",\"relationship_type\":\"" + type + "\",\"source_ref\":\"" + source
        + "\",\"target_ref\":\"" + target + "\"}";
  }

  static String cve(String id) {
    return "{\"source_name\":\"cve\",\"external_id\":\"" + id + "\"}";
  }

  void ingest(String... objects) {
    var report = ingestor.ingest(StixFixtures.stream(StixFixtures.bundleOfJson(List.of(objects))), "test");
    assertEquals(List.of(), report.rejected());
  }

  static String id(int n) {
    return StixFixtures.indicatorId(n);
  }

  @Test
  void sameContentUnderAnotherId_isDuplicate() {
    ingest(indicator(1, "[domain-name:value = 'evil.example']", o -> o.put("name", "same")),
        indicator(2, "[domain-name:value = 'evil.example']", o -> o.put("name", "same")
            .put("created", "2018-01-01T00:00:00.000Z").put("modified", "2018-01-01T00:00:00.000Z")));
    List<Link> links = index.related(id(1));
    assertEquals(1, links.size(), links.toString());
    assertEquals(Level.DUPLICATE, links.get(0).level());
    assertTrue(links.get(0).shared().contains("related-low: evil.example"), links.toString());
  }

  @Test
  void sharedCveReference_isRelatedHigh_andOtherCveIsNot() {
    ingest(indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.set("external_references", json("[" + cve("CVE-2017-0144") + "]"))),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> o.set("external_references", json("[" + cve("CVE-2017-0144") + "]"))),
        indicator(3, "[ipv4-addr:value = '192.0.2.3']", o -> o.set("external_references", json("[" + cve("CVE-2020-0001") + "]"))));
    List<Link> links = index.related(id(1));
    assertEquals(List.of(new Link(id(2), Level.RELATED_HIGH, List.of("related-high: cve:CVE-2017-0144"))), links);
  }

  @Test
  void relationshipsIndicatingTheSameMalware_areRelatedHigh_butCreatorIsNot() {
    String malware = "malware--11111111-1111-4111-8111-111111111111";
    String identity = "identity--22222222-2222-4222-8222-222222222222";
    ingest(indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> o.put("created_by_ref", identity)),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> o.put("created_by_ref", identity)),
        indicator(3, "[ipv4-addr:value = '192.0.2.3']", o -> o.put("created_by_ref", identity)),
        relationship(1, "indicates", id(1), malware), relationship(2, "indicates", id(2), malware),
        relationship(3, "uses", id(3), malware));
    assertEquals(List.of(new Link(id(2), Level.RELATED_HIGH, List.of("related-high: " + malware))), index.related(id(1)));
    assertEquals(List.of(), index.related(id(3)));
  }

  @Test
  void addressInsideAnothersCidr_isRelatedLow_inBothDirections() {
    ingest(indicator(1, "[ipv4-addr:value = '198.51.100.0/24']", o -> { }),
        indicator(2, "[ipv4-addr:value = '198.51.100.7']", o -> { }),
        indicator(3, "[ipv4-addr:value = '198.51.101.7']", o -> { }),
        indicator(4, "[ipv6-addr:value = '2001:db8::/32']", o -> { }),
        indicator(5, "[ipv6-addr:value = '2001:db8:0:1::5']", o -> { }));
    assertEquals(List.of(new Link(id(2), Level.RELATED_LOW, List.of("related-low: 198.51.100.0/24 ~ 198.51.100.7"))),
        index.related(id(1)));
    assertEquals(List.of(id(1)), index.related(id(2)).stream().map(Link::indicatorId).toList());
    assertEquals(List.of(), index.related(id(3)));
    assertEquals(List.of(id(4)), index.related(id(5)).stream().map(Link::indicatorId).toList());
  }

  @Test
  void related_listsDuplicateThenHighThenLow() {
    ingest(indicator(1, "[domain-name:value = 'evil.example']", o -> o.put("name", "x").set("external_references", json("[" + cve("CVE-2017-0144") + "]"))),
        indicator(2, "[domain-name:value = 'evil.example']", o -> o.put("name", "other")),
        indicator(3, "[domain-name:value = 'evil.example']", o -> o.put("name", "x").set("external_references", json("[" + cve("CVE-2017-0144") + "]"))),
        indicator(4, "[domain-name:value = 'other.example']", o -> o.put("name", "y").set("external_references", json("[" + cve("CVE-2017-0144") + "]"))));
    List<Link> links = index.related(id(1));
    assertEquals(List.of(id(3), id(4), id(2)), links.stream().map(Link::indicatorId).toList());
    assertEquals(List.of(Level.DUPLICATE, Level.RELATED_HIGH, Level.RELATED_LOW), links.stream().map(Link::level).toList());
  }

  @Test
  void newVersion_replacesItsOwnKeys() {
    ingest(indicator(1, "[domain-name:value = 'evil.example']", o -> { }),
        indicator(2, "[domain-name:value = 'evil.example']", o -> { }));
    assertEquals(1, index.related(id(1)).size());
    ingest(indicator(2, "[domain-name:value = 'benign.example']", o -> o.put("modified", "2020-01-01T00:00:00.000Z")));
    assertEquals(List.of(), index.related(id(1)));
  }

  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
  @Test
  void courseOfActionMitigatingTwoIndicators_makesThemRelatedHigh_andARevokedLinkUnlinks() {
    String coa = "course-of-action--33333333-3333-4333-8333-333333333333";
    ingest(indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> { }),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> { }),
        relationship(1, "mitigates", coa, id(1)), relationship(2, "mitigates", coa, id(2)));

    assertEquals(List.of(new Link(id(2), Level.RELATED_HIGH, List.of("related-high: " + coa))), index.related(id(1)));

    ingest(relationship(2, "mitigates", coa, id(2)).replace("\"modified\":\"" + StixFixtures.TIMESTAMP,
        "\"revoked\":true,\"modified\":\"2018-01-01T00:00:00.000Z"));

    assertEquals(List.of(), index.related(id(1)), "the revoked relationship links nothing");
  }

  @Test
  void olderVersionOfARelationship_doesNotReplaceTheNewer() {
    String malwareA = "malware--44444444-4444-4444-8444-444444444444";
    String malwareB = "malware--55555555-5555-4555-8555-555555555555";
    String older = relationship(1, "indicates", id(1), malwareA);
    String newer = relationship(1, "indicates", id(1), malwareB).replace("\"modified\":\"" + StixFixtures.TIMESTAMP,
        "\"modified\":\"2018-01-01T00:00:00.000Z");
    ingest(indicator(1, "[ipv4-addr:value = '192.0.2.1']", o -> { }),
        indicator(2, "[ipv4-addr:value = '192.0.2.2']", o -> { }), relationship(2, "indicates", id(2), malwareB), newer);

    ingest(older);

    assertEquals(List.of(id(2)), index.related(id(1)).stream().map(Link::indicatorId).toList(),
        "still linked through what the newer version indicates");
  }
}
