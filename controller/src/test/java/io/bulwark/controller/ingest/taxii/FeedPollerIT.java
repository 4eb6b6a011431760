package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcAuditLog;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.testing.SharedTestData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Feeds polled from a real TAXII 2.1 server over loopback HTTP into a real store. */
class FeedPollerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLLECTION = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
  private Database db;
  private FeedStore feeds;
  private final List<Duration> sleeps = new ArrayList<>();
  private TaxiiTestServer server;
  private Path work;

  @BeforeEach
  void open() throws Exception {
    db = TestDatabases.freshH2();
    feeds = new FeedStore(db.jdbi());
    work = Files.createTempDirectory("bulwark-taxii-");
  }

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close();
    }
    db.close();
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  private FeedPoller poller(int attempts) {
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    return new FeedPoller(feeds, new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock)),
        f -> new TaxiiClient(f.auth(), Duration.ofSeconds(10)), new JdbcAuditLog(db.jdbi(), clock), clock, sleeps::add,
        100, attempts, Duration.ofMillis(250));
  }

  private static List<TaxiiTestServer.Entry> fixture(int n) throws Exception {
    List<TaxiiTestServer.Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(entry(i, "2026-01-01T00:00:00Z", Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i * 60L)));
    }
    return out;
  }

  private static TaxiiTestServer.Entry entry(int i, String modified, Instant added) throws Exception {
    String json = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--00000000-0000-4000-8000-"
        + String.format("%012d", i) + "\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"" + modified + "\","
        + "\"name\":\"fixture " + i + "\",\"pattern\":\"[ipv4-addr:value = '198.51.100." + (i + 1) + "']\","
        + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}";
    return new TaxiiTestServer.Entry(JSON.readTree(json), added);
  }

  private int storedVersions() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM indicator_versions").mapTo(Integer.class).one());
  }

  @Test
  void failureOnPage2_leavesCursorAtEndOfPage1_andNextPollStoresEveryObjectOnce() throws Exception {
    server = new TaxiiTestServer(COLLECTION, fixture(7), 2);
    feeds.add(Feed.added("fixture", server.apiRoot(), COLLECTION, new TaxiiAuth.None(), Duration.ZERO));
    server.failLaterPages(1);

    var first = poller(1).poll("fixture", "test");

    var failed = assertInstanceOf(FeedPoller.Outcome.Failed.class, first);
    assertTrue(failed.error().contains("HTTP 503") && failed.error().contains(server.apiRoot().toString()), failed.error());
    assertEquals(2, failed.stored());
    assertEquals("2026-02-01T00:01:00Z", feeds.find("fixture").orElseThrow().cursor());
    assertTrue(feeds.find("fixture").orElseThrow().lastError().contains("503"));

    var second = poller(1).poll("fixture", "test");

    assertInstanceOf(FeedPoller.Outcome.Completed.class, second, FeedPoller.describe(second));
    assertEquals(5, second.stored(), FeedPoller.describe(second));
    assertEquals(7, storedVersions());
    Feed after = feeds.find("fixture").orElseThrow();
    assertEquals("2026-02-01T00:06:00Z", after.cursor());
    assertEquals("", after.lastError());
    assertTrue(after.lastPolledAt().isPresent());
  }

  @Test
  void pageThatCannotBeStored_failsThePoll_namingIt_andItsObjectsComeAgainNextTime() throws Exception {
    server = new TaxiiTestServer(COLLECTION, fixture(4), 2);
    feeds.add(Feed.added("fixture", server.apiRoot(), COLLECTION, new TaxiiAuth.None(), Duration.ZERO));
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var broken = new java.util.concurrent.atomic.AtomicBoolean(true);
    BundleIngestor.Hook failingOnce = new BundleIngestor.Hook() {
      @Override
      public void batchDone(BundleIngestor.Batch batch) {
        var stored = batch.stored();
        if (!stored.isEmpty() && stored.get(0).name().equals("fixture 2") && broken.getAndSet(false)) {
          throw new IllegalStateException("disk full\nsecond line");
        }
      }
    };
    var poller = new FeedPoller(feeds, new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), failingOnce),
        f -> new TaxiiClient(f.auth(), Duration.ofSeconds(10)), new JdbcAuditLog(db.jdbi(), clock), clock, sleeps::add,
        100, 1, Duration.ofMillis(250));

    var first = assertInstanceOf(FeedPoller.Outcome.Failed.class, poller.poll("fixture", "test"));

    assertEquals("storing page 2 failed: disk full", first.error());
    assertEquals(2, storedVersions(), "page 1 stays, nothing of page 2");
    assertEquals("storing page 2 failed: disk full", feeds.find("fixture").orElseThrow().lastError());
    assertEquals("2026-02-01T00:01:00Z", feeds.find("fixture").orElseThrow().cursor(), "before page 2");

    assertInstanceOf(FeedPoller.Outcome.Completed.class, poller.poll("fixture", "test"));
    assertEquals(4, storedVersions());
    assertEquals("", feeds.find("fixture").orElseThrow().lastError());
  }

  @Test
  void serverWithoutDateAddedHeaders_movesTheCursorToItsClockLessAMinute_onlyAfterACompletePoll() throws Exception {
    Instant start = Instant.now();
    List<TaxiiTestServer.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Instant added = start.minusSeconds(600 - i * 60L);
      // One object claims a version time years ahead: it must not move the cursor.
      entries.add(entry(i, i == 1 ? "2031-01-01T00:00:00Z" : added.minusSeconds(30).toString(), added));
    }
    server = new TaxiiTestServer(COLLECTION, entries, 2);
    server.omitDateAddedHeaders();
    feeds.add(Feed.added("bare", server.apiRoot(), COLLECTION, new TaxiiAuth.None(), Duration.ZERO));
    server.failLaterPages(1);

    var failed = assertInstanceOf(FeedPoller.Outcome.Failed.class, poller(1).poll("bare", "test"));
    assertEquals(2, failed.stored());
    assertEquals("", feeds.find("bare").orElseThrow().cursor(), "an incomplete poll leaves the cursor");

    var complete = poller(1).poll("bare", "test");
    Instant end = Instant.now();
    assertInstanceOf(FeedPoller.Outcome.Completed.class, complete, FeedPoller.describe(complete));
    assertEquals(3, complete.stored());
    Instant cursor = Instant.parse(feeds.find("bare").orElseThrow().cursor());
    assertTrue(!cursor.isBefore(start.minusSeconds(62)) && !cursor.isAfter(end.minus(FeedPoller.SETTLE)),
        "server clock less a minute: " + cursor);

    var again = poller(1).poll("bare", "test");
    assertEquals(0, again.stored() + again.unchanged(), FeedPoller.describe(again));

    // Added after the cursor: a late commit within the minute, and a new object.
    server.add(entry(5, "2026-01-01T00:00:00Z", cursor.plusSeconds(1)));
    server.add(entry(6, "2026-01-01T00:00:00Z", Instant.now()));
    var later = poller(1).poll("bare", "test");
    assertEquals(2, later.stored(), FeedPoller.describe(later));
    assertEquals(7, storedVersions());
  }

  @Test
  void transientFailure_isRetriedWithDoublingBackoff_withinOnePoll() throws Exception {
    server = new TaxiiTestServer(COLLECTION, fixture(5), 2);
    feeds.add(Feed.added("fixture", server.apiRoot(), COLLECTION, new TaxiiAuth.None(), Duration.ZERO));
    server.failLaterPages(2);

    var outcome = poller(3).poll("fixture", "test");

    assertInstanceOf(FeedPoller.Outcome.Completed.class, outcome, FeedPoller.describe(outcome));
    assertEquals(5, storedVersions());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), sleeps);
  }

  @Test
  void medallionSampleCollection_throughDiscovery_overSeveralPages_storesEachIndicatorVersionOnce() throws Exception {
    Path data = SharedTestData.require("stix/medallion-default_data.json");
    server = new TaxiiTestServer(COLLECTION, TaxiiTestServer.medallion(data, "trustgroup1", COLLECTION), 2);
    feeds.add(Feed.added("medallion", server.discovery(), COLLECTION, new TaxiiAuth.None(), Duration.ZERO));
    server.failLaterPages(1);

    var first = poller(1).poll("medallion", "test");
    var second = poller(1).poll("medallion", "test");
    var third = poller(1).poll("medallion", "test");

    assertInstanceOf(FeedPoller.Outcome.Failed.class, first);
    assertInstanceOf(FeedPoller.Outcome.Completed.class, second, FeedPoller.describe(second));
    assertTrue(second.pages() >= 3, FeedPoller.describe(second));
    // indicator--cd981c25 once and indicator--6770298f in three versions
    assertEquals(4, storedVersions());
    assertEquals(4, first.stored() + second.stored(), FeedPoller.describe(first) + " / " + FeedPoller.describe(second));
    assertEquals(0, third.stored());
    assertEquals("2017-12-31T13:49:53.935Z", feeds.find("medallion").orElseThrow().cursor());
  }

  @Test
  void bearerToken_isSentFromItsFile_andAWrongOneFailsNamingTheUrlAndStatus() throws Exception {
    server = new TaxiiTestServer(COLLECTION, fixture(1), 2);
    server.requireAuthorization("Bearer s3cret-token");
    Path token = work.resolve("token");
    Files.writeString(token, "wrong\n");
    feeds.add(Feed.added("tok", server.apiRoot(), COLLECTION, new TaxiiAuth.Bearer(token), Duration.ZERO));

    var refused = assertInstanceOf(FeedPoller.Outcome.Failed.class, poller(3).poll("tok", "test"));
    assertTrue(refused.error().contains("HTTP 401") && refused.error().contains("/api1/collections/"), refused.error());
    assertFalse(refused.error().contains("wrong"));
    assertTrue(sleeps.isEmpty(), "a refusal is not retried");

    Files.writeString(token, "s3cret-token\n");
    assertInstanceOf(FeedPoller.Outcome.Completed.class, poller(3).poll("tok", "test"));
    assertEquals(1, storedVersions());
  }

  @Test
  void client_readsDiscoveryApiRootAndCollections_andRefusesAMissingCollection() throws Exception {
    server = new TaxiiTestServer(COLLECTION, fixture(1), 2);
    var client = new TaxiiClient(new TaxiiAuth.None(), Duration.ofSeconds(10));

    assertEquals(server.apiRoot().toString(), client.discovery(server.discovery()).path("default").asText());
    assertEquals("api1", client.apiRoot(server.apiRoot()).path("title").asText());
    assertEquals(COLLECTION, client.collections(server.apiRoot()).get(0).path("id").asText());
    var e = org.junit.jupiter.api.Assertions.assertThrows(TaxiiException.class,
        () -> client.objects(server.apiRoot(), "no-such-collection", "", 10, ""));
    assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("no-such-collection"), e.getMessage());
    assertFalse(e.isTransient());
    URI bogus = URI.create(server.apiRoot().toString().replace("/api1/", "/nothing/"));
    assertThrows404(client, bogus);
  }

  private static void assertThrows404(TaxiiClient client, URI uri) {
    var e = org.junit.jupiter.api.Assertions.assertThrows(TaxiiException.class, () -> client.apiRoot(uri));
    assertTrue(e.getMessage().startsWith(uri.toString()) && e.getMessage().contains("404"), e.getMessage());
  }
}
