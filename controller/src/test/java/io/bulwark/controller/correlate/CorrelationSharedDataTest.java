package io.bulwark.controller.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.SharedTestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The index over the real bundles in the shared test data; the counts were checked by hand. */
class CorrelationSharedDataTest {

  @Test
  void poisonIvy_indicatorsSharingACampaignOrMalware_areRelatedHigh() throws Exception {
    var path = SharedTestData.require("stix/oasis-cti-documentation-poisonivy.json");
    try (Database db = TestDatabases.freshH2(); InputStream in = Files.newInputStream(path)) {
      var store = new JdbcIndicatorStore(db.jdbi(), MutableClock.at("2026-12-04T10:00:00Z"));
      var index = new CorrelationIndex(db.jdbi());
      assertEquals(25, new BundleIngestor(store, index).ingest(in, "poisonivy").stored());
      int high = 0;
      int low = 0;
      int duplicate = 0;
      for (StoredIndicator i : store.listLatest()) {
        for (Link l : index.related(i.id())) {
          switch (l.level()) {
            case DUPLICATE -> duplicate++;
            case RELATED_HIGH -> high++;
            case RELATED_LOW -> low++;
          }
        }
      }
      // Each pair is seen from both sides: 145 pairs share an indicated campaign or malware, 5 more
      // share only a domain or address, none has the same content.
      assertEquals(2 * 145, high);
      assertEquals(2 * 5, low);
      assertEquals(0, duplicate);
      List<Link> links = index.related("indicator--0b71628d-31dd-4eb8-baee-39f19c0a14b0");
      Link pair = links.stream()
          .filter(l -> l.indicatorId().equals("indicator--2efe7c62-1b96-4568-81ee-c85b840bde39"))
          .findFirst().orElseThrow();
      assertEquals(Level.RELATED_HIGH, pair.level());
      assertTrue(pair.shared().contains("related-high: malware--69101c2f-da92-47af-b402-7c60a39a982f"), pair.toString());
    }
  }
}
