package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedPollJobTest {
  private Database db;
  private FeedStore feeds;
  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private FeedPollJob job;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    feeds = new FeedStore(db.jdbi());
    // Port 9 on loopback refuses at once: every poll fails quickly, which is all the job needs.
    var poller = new FeedPoller(feeds, new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock)),
        f -> new TaxiiClient(f.auth(), Duration.ofSeconds(2)), new JdbcAuditLog(db.jdbi(), clock), clock, d -> {}, 10, 1,
        Duration.ZERO);
    job = new FeedPollJob(feeds, poller, clock);
    URI url = URI.create("http://127.0.0.1:9/api1/");
    feeds.add(Feed.added("hourly", url, "c", new TaxiiAuth.None(), Duration.ofHours(1)));
    feeds.add(Feed.added("manual", url, "c", new TaxiiAuth.None(), Duration.ZERO));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void runDue_pollsFeedsWithAnIntervalOncePerInterval_andNeverOnDemandOnes() {
    assertEquals(1, job.runDue());
    clock.advance(Duration.ofMinutes(59));
    assertEquals(0, job.runDue());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(1, job.runDue());
    assertEquals("", feeds.find("manual").orElseThrow().lastError());
  }

  @Test
  void duplicateName_isRefused() {
    assertEquals(false, feeds.add(Feed.added("hourly", URI.create("https://example.invalid/"), "c",
        new TaxiiAuth.None(), Duration.ZERO)));
  }
}
