package io.bulwark.controller.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.correlate.PriorityFormula.Contribution;
import io.bulwark.controller.correlate.PriorityFormula.Inputs;
import io.bulwark.controller.correlate.PriorityFormula.Reporter;
import io.bulwark.controller.domain.FeedTrust;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityFormulaTest {
  private static Reporter feed(String name, FeedTrust trust) {
    return new Reporter(name, trust, List.of(name));
  }

  private static int sources(PriorityFormula.Result r) {
    return r.contributions().stream().filter(c -> c.factor().equals("sources")).findFirst().orElseThrow().points();
  }

  @Test
  void oneMediumSource_scoresAsBeforeFeedsHadATrust() {
    var r = PriorityFormula.of(new Inputs(80, List.of(feed("taxii:a", FeedTrust.MEDIUM)), 1, 0, 95));
    assertEquals(32 + 10 + 5 - 3, r.score());
    assertEquals("confidence 80 (+32), 1 source (+10), 1 related-high (+5), 95 days old (-3)", r.why());
    assertEquals(List.of("confidence", "sources", "related-high", "sightings", "vulnerability", "age"),
        r.contributions().stream().map(Contribution::factor).toList());
    assertEquals(r.score(), r.contributions().stream().mapToInt(Contribution::points).sum());
  }

  @Test
  void trustedSources_weighMore_andLowTrustLess() {
    int high = sources(PriorityFormula.of(new Inputs(50, List.of(feed("taxii:h", FeedTrust.HIGH)), 0, 0, 0)));
    int medium = sources(PriorityFormula.of(new Inputs(50, List.of(feed("taxii:m", FeedTrust.MEDIUM)), 0, 0, 0)));
    int low = sources(PriorityFormula.of(new Inputs(50, List.of(feed("taxii:l", FeedTrust.LOW)), 0, 0, 0)));
    assertEquals(List.of(15, 10, 5), List.of(high, medium, low));
  }

  @Test
  void moreIndependentReporters_scoreHigher_upToThree_countingTheMostTrusted() {
    var two = PriorityFormula.of(new Inputs(50, List.of(feed("taxii:a", FeedTrust.LOW), feed("taxii:b", FeedTrust.HIGH)),
        0, 0, 0));
    assertEquals(20 + 15 + 5, two.score());
    assertEquals("confidence 50 (default) (+20), 2 sources (high 1, low 1) (+20), 0 related-high (+0), 0 days old (-0)",
        PriorityFormula.of(new Inputs(null, List.of(feed("taxii:a", FeedTrust.LOW), feed("taxii:b", FeedTrust.HIGH)), 0, 0, 0))
            .why());
    var four = PriorityFormula.of(new Inputs(50, List.of(feed("a", FeedTrust.LOW), feed("b", FeedTrust.HIGH),
        feed("c", FeedTrust.HIGH), feed("d", FeedTrust.MEDIUM)), 0, 0, 0));
    assertEquals(15 + 15 + 10, sources(four));
    String detail = four.contributions().get(1).detail();
    assertTrue(detail.contains("a low (not counted)") && detail.contains("b high +15"), detail);
  }

  @Test
  void oneProducerRelayedByTwoFeeds_showsTheFeedsItCameThrough() {
    var r = PriorityFormula.of(new Inputs(50, List.of(new Reporter("identity--x", FeedTrust.HIGH,
        List.of("taxii:a", "taxii:b"))), 0, 0, 0));
    assertEquals(15, sources(r));
    assertTrue(r.contributions().get(1).detail().contains("identity--x high +15 via taxii:a, taxii:b"),
        r.contributions().get(1).detail());
  }

  @Test
  void unknownIndicator_countsOneMediumSource_andAgeIsCapped() {
    var r = PriorityFormula.of(new Inputs(null, List.of(), 9, 0, 100_000));
    assertEquals(20 + 10 + 20 - 20, r.score());
  }

  @Test
  void sightings_addTwoPointsEach_upToFive_andShowInTheLineOnlyWhenThere() {
    var three = PriorityFormula.of(new Inputs(50, List.of(), 0, 3, 0));
    assertEquals(20 + 10 + 6, three.score());
    assertEquals("confidence 50 (+20), 1 source (+10), 0 related-high (+0), 3 sightings (+6), 0 days old (-0)", three.why());
    assertEquals(20 + 10 + 10, PriorityFormula.of(new Inputs(50, List.of(), 0, 1_000_000, 0)).score());
    assertTrue(!PriorityFormula.of(new Inputs(50, List.of(), 0, 0, 0)).why().contains("sighting"));
  }
}
