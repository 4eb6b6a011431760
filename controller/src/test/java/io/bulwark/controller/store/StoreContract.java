package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.EnrollmentToken;
import io.bulwark.controller.domain.FeedTrust;
import io.bulwark.controller.domain.IndicatorReportStore;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.ingest.taxii.Feed;
import io.bulwark.controller.ingest.taxii.FeedStore;
import io.bulwark.controller.ingest.taxii.FeedTls;
import io.bulwark.controller.ingest.taxii.TaxiiAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The behaviour every store must have, run against H2 and PostgreSQL by its subclasses. */
abstract class StoreContract extends DeviceStoreContract {
  @Test
  void offer_keepsEveryVersionAndListsTheNewest() {
    assertEquals(IndicatorStore.Offer.FIRST, indicators.offer(indicator("indicator--1", T0, "[ipv4-addr:value = '192.0.2.1']")));
    assertEquals(IndicatorStore.Offer.UNCHANGED, indicators.offer(indicator("indicator--1", T0, "[ipv4-addr:value = '192.0.2.9']")));
    assertEquals(IndicatorStore.Offer.STORED,
        indicators.offer(indicator("indicator--1", T0.plusSeconds(60), "[ipv4-addr:value = '192.0.2.2']")));
    assertEquals(IndicatorStore.Offer.UNCHANGED,
        indicators.offer(indicator("indicator--1", T0.minusSeconds(60), "[ipv4-addr:value = '192.0.2.3']")));
    List<StoredIndicator> latest = indicators.listLatest();
    assertEquals(1, latest.size());
    assertEquals("[ipv4-addr:value = '192.0.2.2']", latest.get(0).pattern());
    assertEquals(1, indicators.findLatest(List.of("indicator--1", "indicator--unknown")).size());
  }

  @Test
  void offerAll_keepsEveryCharacterAndNull_throughTheBulkInsert() {
    String hostile = "tab\there\nnew line\r\\N back\\slash \\.\n\\.\n\u00e9\u6f22 \"quoted\" 'single'";
    var odd = new StoredIndicator("indicator--odd", T0, hostile, "[domain-name:value = 'x\\ty']", "stix", null, null, true,
        hostile, "{\"name\":\"" + hostile.replace("\\", "\\\\").replace("\n", "\\n") + "\"}");
    var plain = new StoredIndicator("indicator--plain", T0, "", "[ipv4-addr:value = '192.0.2.1']", "stix", T0,
        T0.plusSeconds(5), false, "", "{}");

    assertEquals(List.of(IndicatorStore.Offer.FIRST, IndicatorStore.Offer.FIRST), indicators.offerAll(List.of(odd, plain)));

    assertEquals(odd, indicators.findLatest("indicator--odd").orElseThrow());
    assertEquals(plain, indicators.findLatest("indicator--plain").orElseThrow());
  }

  @Test
  void offerAll_comparesWithStoredAndEarlierVersionsInTheList() {
    indicators.offer(indicator("indicator--1", T0, "[ipv4-addr:value = '192.0.2.1']"));

    List<IndicatorStore.Offer> outcomes =
        indicators.offerAll(
            List.of(
                indicator("indicator--1", T0, "[ipv4-addr:value = '192.0.2.9']"),
                indicator("indicator--2", T0, "[ipv4-addr:value = '192.0.2.2']"),
                indicator("indicator--2", T0, "[ipv4-addr:value = '192.0.2.8']"),
                indicator("indicator--2", T0.plusSeconds(1), "[ipv4-addr:value = '192.0.2.3']")));

    assertEquals(
        List.of(IndicatorStore.Offer.UNCHANGED, IndicatorStore.Offer.FIRST, IndicatorStore.Offer.UNCHANGED,
            IndicatorStore.Offer.STORED),
        outcomes);
    assertEquals("[ipv4-addr:value = '192.0.2.3']", indicators.findLatest("indicator--2").orElseThrow().pattern());
  }

  @Test
  void inOneUnit_keepsNothingWhenTheWorkThrows() {
    indicators.offer(indicator("indicator--1", T0, "[ipv4-addr:value = '192.0.2.1']"));

    assertThrows(IllegalStateException.class, () -> indicators.inOneUnit(() -> {
      indicators.offer(indicator("indicator--2", T0, "[ipv4-addr:value = '192.0.2.2']"));
      indicators.offerAll(List.of(indicator("indicator--1", T0.plusSeconds(1), "[ipv4-addr:value = '192.0.2.3']")));
      throw new IllegalStateException("late failure");
    }));

    assertEquals(List.of("[ipv4-addr:value = '192.0.2.1']"),
        indicators.listLatest().stream().map(StoredIndicator::pattern).toList());
    assertEquals(1, (int) indicators.inOneUnit(() -> indicators.offerAll(
        List.of(indicator("indicator--3", T0, "[ipv4-addr:value = '192.0.2.4']"))).size()));
    assertEquals(2, indicators.listLatest().size());
  }

  @Test
  void countermeasures_roundTripWithTheirIndicators() {
    Countermeasure added = countermeasures.add(Countermeasure.proposed(List.of("indicator--1", "indicator--2"),
        Countermeasure.Action.BLOCK, Scope.parse("tag:perimeter"), T0, T0.plus(Duration.ofDays(30)), "alice", "ticket 7",
        Countermeasure.Status.PENDING_SECOND_APPROVAL).withSeverity(Countermeasure.Severity.CRITICAL));
    Countermeasure listed = countermeasures.list().get(0);
    assertEquals(Countermeasure.Severity.CRITICAL, listed.severity());
    assertEquals(added.id(), listed.id());
    assertEquals(List.of("indicator--1", "indicator--2"), listed.indicatorIds());
    assertEquals(new Scope.Tag("perimeter"), listed.scope());
    assertEquals(T0.plus(Duration.ofDays(30)), listed.expiresAt());
    assertEquals("alice", listed.approvedBy());
    assertEquals(Countermeasure.Status.PENDING_SECOND_APPROVAL, listed.status());
    assertTrue(countermeasures.transition(added.id(), Countermeasure.Status.PENDING_SECOND_APPROVAL,
        Countermeasure.Status.ACTIVE, "bob", T0));
    assertFalse(countermeasures.transition(added.id(), Countermeasure.Status.PENDING_SECOND_APPROVAL,
        Countermeasure.Status.ACTIVE, "carol", T0));
    assertEquals("bob", countermeasures.find(added.id()).orElseThrow().secondApprover());
    assertEquals(Countermeasure.Status.ACTIVE, countermeasures.find(added.id()).orElseThrow().status());
  }

  @Test
  void countermeasures_sinkholeDestinationsRoundTrip() {
    Countermeasure host = countermeasures.add(Countermeasure.proposed(List.of("indicator--1"),
        Countermeasure.Action.SINKHOLE, Scope.parse("all"), T0, null, "alice", "", Countermeasure.Status.ACTIVE,
        "xn--bcher-kva.example"));
    Countermeasure v6 = countermeasures.add(Countermeasure.proposed(List.of("indicator--2"),
        Countermeasure.Action.SINKHOLE, Scope.parse("all"), T0, null, "alice", "", Countermeasure.Status.ACTIVE,
        "2001:db8::10"));
    Countermeasure block = countermeasures.add(Countermeasure.proposed(List.of("indicator--3"),
        Countermeasure.Action.BLOCK, Scope.parse("all"), T0, null, "alice", "", Countermeasure.Status.ACTIVE));

    assertEquals(Countermeasure.Action.SINKHOLE, countermeasures.find(host.id()).orElseThrow().action());
    assertEquals("xn--bcher-kva.example", countermeasures.find(host.id()).orElseThrow().sinkhole());
    assertEquals("2001:db8::10", countermeasures.find(v6.id()).orElseThrow().sinkhole());
    assertNull(countermeasures.find(block.id()).orElseThrow().sinkhole());
    assertTrue(countermeasures.transition(host.id(), Countermeasure.Status.ACTIVE, Countermeasure.Status.WITHDRAWN,
        "bob", T0));
    assertEquals("xn--bcher-kva.example", countermeasures.find(host.id()).orElseThrow().sinkhole(),
        "a withdrawn countermeasure keeps its record");
  }

  @Test
  void consume_isSingleUseAndRefusesExpiredTokens() {
    tokens.add(new EnrollmentToken("tok1", new byte[32], "host-a", "nftables", List.of(), T0, T0.plusSeconds(3600)));
    tokens.add(new EnrollmentToken("tok2", new byte[32], "host-b", "nftables", List.of(), T0, T0.plusSeconds(10)));
    assertTrue(tokens.consume("tok1", T0));
    assertFalse(tokens.consume("tok1", T0));
    assertTrue(tokens.findUnused("tok1").isEmpty());
    assertFalse(tokens.consume("tok2", T0.plusSeconds(10)));
  }

  @Test
  void consume_twoRacingCallers_exactlyOneWins() throws Exception {
    tokens.add(new EnrollmentToken("race", new byte[32], "host-a", "nftables", List.of(), T0, T0.plusSeconds(3600)));
    var pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Callable<Boolean> attempt = () -> {
        go.await();
        return tokens.consume("race", T0);
      };
      var futures = java.util.stream.IntStream.range(0, 8).mapToObj(i -> pool.submit(attempt)).toList();
      go.countDown();
      long winners = 0;
      for (var f : futures) {
        winners += f.get() ? 1 : 0;
      }
      assertEquals(1, winners);
    } finally {
      pool.shutdownNow();
    }
  }

  static StoredIndicator indicator(String id, Instant modified, String pattern) {
    return new StoredIndicator(id, modified, "test", pattern, "stix", T0, null, false, "test", "{}");
  }

  @Test
  void indicatorReports_countEachSourceOnce_perIngest_andKeepFirstAndLast() {
    var reports = new JdbcIndicatorReportStore(db.jdbi());
    reports.record(List.of("indicator--a", "indicator--b", "indicator--a"), "taxii:vendor", T0);
    reports.record(List.of("indicator--a"), "taxii:vendor", T0.plusSeconds(60));
    reports.record(List.of("indicator--a"), "bundle.json", T0.plusSeconds(120));
    var found = reports.find(List.of("indicator--a", "indicator--b", "indicator--none"));
    assertEquals(List.of(
            new IndicatorReportStore.Report("indicator--a", "bundle.json", T0.plusSeconds(120), T0.plusSeconds(120), 1),
            new IndicatorReportStore.Report("indicator--a", "taxii:vendor", T0, T0.plusSeconds(60), 2)),
        found.get("indicator--a"));
    assertEquals(1, found.get("indicator--b").size());
    assertFalse(found.containsKey("indicator--none"));
  }

  @Test
  void indicatorReports_manyIdsAtOnce_spanStatementChunks() {
    var reports = new JdbcIndicatorReportStore(db.jdbi());
    List<String> ids = java.util.stream.IntStream.range(0, 1203).mapToObj(i -> "indicator--" + i).toList();
    reports.record(ids, "taxii:bulk", T0);
    reports.record(ids.subList(0, 700), "taxii:bulk", T0.plusSeconds(1));
    var found = reports.find(ids);
    assertEquals(1203, found.size());
    assertEquals(2, found.get("indicator--699").get(0).times());
    assertEquals(1, found.get("indicator--700").get(0).times());
  }

  @Test
  void indicatorReports_ofIdsNeverReported_areWrittenWithoutLookup_andOthersStillCount() {
    var reports = new JdbcIndicatorReportStore(db.jdbi());
    List<String> ids = java.util.stream.IntStream.range(0, 1203).mapToObj(i -> "indicator--" + i).toList();
    reports.record(ids.subList(0, 600), java.util.Set.copyOf(ids.subList(0, 600)), "taxii:bulk", T0);
    reports.record(ids, java.util.Set.copyOf(ids.subList(600, 1203)), "taxii:bulk", T0.plusSeconds(1));
    var found = reports.find(ids);
    assertEquals(1203, found.size());
    assertEquals(2, found.get("indicator--599").get(0).times());
    assertEquals(T0, found.get("indicator--599").get(0).firstAt());
    assertEquals(1, found.get("indicator--600").get(0).times());
  }

  @Test
  void feeds_keepTrustSeverityAndTlsSettings_andMapThemBySource() {
    var feeds = new FeedStore(db.jdbi());
    var tls = new FeedTls("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "c2VhbGVk",
        "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n");
    assertTrue(feeds.add(Feed.added("vendor", java.net.URI.create("https://taxii.example/api1/"), "c1",
        new TaxiiAuth.None(), Duration.ZERO, FeedTrust.HIGH, Optional.of(Countermeasure.Severity.CRITICAL), tls)));
    assertTrue(feeds.add(Feed.added("forum", java.net.URI.create("http://taxii.example/api1/"), "c2",
        new TaxiiAuth.None(), Duration.ZERO)));
    Feed vendor = feeds.find("vendor").orElseThrow();
    assertEquals(FeedTrust.HIGH, vendor.trust());
    assertEquals(Optional.of(Countermeasure.Severity.CRITICAL), vendor.defaultSeverity());
    assertEquals(tls, vendor.tls());
    Feed forum = feeds.find("forum").orElseThrow();
    assertEquals(FeedTrust.MEDIUM, forum.trust());
    assertEquals(FeedTls.DEFAULT, forum.tls());
    assertEquals(java.util.Map.of("taxii:vendor", FeedTrust.HIGH, "taxii:forum", FeedTrust.MEDIUM), feeds.trustBySource());
    assertEquals(java.util.Map.of("taxii:vendor", Countermeasure.Severity.CRITICAL), feeds.severityBySource());
  }

  @Test
  void sightings_keepTheNewestVersionOfEach_andSumPerIndicator() {
    var reports = new JdbcIndicatorReportStore(db.jdbi());
    reports.recordSighting(new IndicatorReportStore.Sighting("sighting--1", "indicator--a", T0, 3, "taxii:v"));
    reports.recordSighting(new IndicatorReportStore.Sighting("sighting--2", "indicator--a", T0, 1, "taxii:v"));
    reports.recordSighting(new IndicatorReportStore.Sighting("sighting--1", "indicator--a", T0.minusSeconds(1), 100, "x"));
    assertEquals(java.util.Map.of("indicator--a", 4L), reports.sightings(List.of("indicator--a", "indicator--b")));
    reports.recordSighting(new IndicatorReportStore.Sighting("sighting--1", "indicator--a", T0.plusSeconds(1), 10, "x"));
    assertEquals(java.util.Map.of("indicator--a", 11L), reports.sightings(List.of("indicator--a")));
  }
}
