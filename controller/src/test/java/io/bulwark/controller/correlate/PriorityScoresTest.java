package io.bulwark.controller.correlate;

import static io.bulwark.controller.correlate.CorrelationIndexTest.id;
import static io.bulwark.controller.correlate.CorrelationIndexTest.indicator;
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

class PriorityScoresTest {
  private static final String MALWARE = "malware--11111111-1111-4111-8111-111111111111";
  private Database db;
  private BundleIngestor ingestor;
  private PriorityScores scores;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var clock = MutableClock.at("2017-08-10T08:00:00Z"); // 90 days after the fixtures' created time
    var index = new CorrelationIndex(db.jdbi());
    ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), index);
    scores = new PriorityScores(db.jdbi(), index, clock);
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
}
