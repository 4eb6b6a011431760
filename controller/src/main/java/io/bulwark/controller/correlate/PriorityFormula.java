package io.bulwark.controller.correlate;

import io.bulwark.controller.domain.FeedTrust;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The priority of an indicator from what is known of it, higher first:
 *
 * <pre>
 * score = 0.4 * confidence                  (STIX confidence 0..100; 50 when absent)       0..40
 *       + sum of the 3 largest trust weights (one per independent reporter:
 *                                             high 15, medium 10, low 5)                   5..45
 *       + 5 * min(related-high, 4)          (links through a shared object or CVE)          0..20
 *       + 2 * min(sightings, 5)             (STIX sighting counts of it and its duplicates) 0..10
 *       + severity of the most severe linked vulnerability
 *                                           (critical 15, high 10, medium 5, low 2)         0..15
 *       - min(age in days / 30, 20)         (one point per 30 days since created)         -20..0
 * </pre>
 *
 * A reporter is who produced the indicator or one of its duplicates: its {@code created_by_ref},
 * else the source that delivered it (a feed, a file). Two feeds relaying the same producer's
 * object are one reporter, weighed by the most trusted of them; a source that is not a feed is of
 * medium trust. With every source of medium trust this is the score as it was before feeds carried
 * a trust. Pure and thread-safe; rounded to a whole number.
 */
public final class PriorityFormula {
  /** The confidence of an indicator that states none. */
  public static final int DEFAULT_CONFIDENCE = 50;
  /** How many reporters count at most. */
  static final int MAX_REPORTERS = 3;

  private PriorityFormula() {}

  /**
   * One independent reporter.
   *
   * @param name its {@code created_by_ref}, or the source that delivered it
   * @param trust the highest trust of the sources that delivered it
   * @param sources those sources, sorted
   */
  public record Reporter(String name, FeedTrust trust, List<String> sources) {}

  /**
   * What the score is made of.
   *
   * @param confidence the STIX confidence, or null when the indicator states none
   * @param reporters the independent reporters, at least one is assumed when empty
   * @param relatedHigh how many indicators share a referenced object or CVE with it
   * @param sightings the sum of the {@code count} of the STIX sightings of it and its duplicates
   * @param ageDays days since its {@code created} time, 0 when unknown
   * @param vulnerability the most severe linked vulnerability with a severity, or null (see {@link
   *     LinkedVulnerabilities})
   */
  public record Inputs(Integer confidence, List<Reporter> reporters, long relatedHigh, long sightings, long ageDays,
      LinkedVulnerabilities.Linked vulnerability) {
    /** Without a linked vulnerability. */
    public Inputs(Integer confidence, List<Reporter> reporters, long relatedHigh, long sightings, long ageDays) {
      this(confidence, reporters, relatedHigh, sightings, ageDays, null);
    }
  }

  /** One term of the score: what it is, what it was computed from, and its points. */
  public record Contribution(String factor, String detail, int points) {}

  /** The score, its one-line reason, and its terms in the order of the formula. */
  public record Result(int score, String why, List<Contribution> contributions) {}

  /** Computes the score. */
  public static Result of(Inputs in) {
    int confidence = in.confidence() == null ? DEFAULT_CONFIDENCE : in.confidence();
    double c = 0.4 * confidence;
    List<Reporter> reporters = new ArrayList<>(in.reporters());
    reporters.sort(Comparator.comparingInt((Reporter r) -> -r.trust().weight()).thenComparing(Reporter::name));
    int sources = Math.max(1, reporters.size());
    int s = reporters.isEmpty() ? FeedTrust.MEDIUM.weight()
        : reporters.stream().limit(MAX_REPORTERS).mapToInt(r -> r.trust().weight()).sum();
    int h = 5 * (int) Math.min(in.relatedHigh(), 4);
    int g = 2 * (int) Math.min(in.sightings(), 5);
    int a = (int) Math.min(in.ageDays() / 30, 20);
    int v = in.vulnerability() == null ? 0 : switch (in.vulnerability().severity()) {
      case CRITICAL -> 15;
      case HIGH -> 10;
      case MEDIUM -> 5;
      case LOW -> 2;
    };
    int score = (int) Math.round(c + s + h + g + v - a);

    String confidenceText = confidence + (in.confidence() == null ? " (default)" : "");
    String sourcesText = sources + (sources == 1 ? " source" : " sources") + trustMix(reporters);
    List<Contribution> parts = List.of(
        new Contribution("confidence", confidenceText, (int) Math.round(c)),
        new Contribution("sources", sourcesText + reporterList(reporters), s),
        new Contribution("related-high", Long.toString(in.relatedHigh()), h),
        new Contribution("sightings", Long.toString(in.sightings()), g),
        new Contribution("vulnerability", in.vulnerability() == null ? "none linked"
            : in.vulnerability().name() + " " + in.vulnerability().severity().label(), v),
        new Contribution("age", in.ageDays() + " days", -a));
    // The queue's one line names sightings only when there are some, to stay short.
    String why = "confidence " + confidenceText + " (+" + Math.round(c) + "), " + sourcesText + " (+" + s + "), "
        + in.relatedHigh() + " related-high (+" + h + "), "
        + (in.sightings() > 0 ? in.sightings() + (in.sightings() == 1 ? " sighting" : " sightings") + " (+" + g + "), " : "")
        + (in.vulnerability() == null ? "" : in.vulnerability().name() + " " + in.vulnerability().severity().label()
            + " (+" + v + "), ")
        + in.ageDays() + " days old (-" + a + ")";
    return new Result(score, why, parts);
  }

  /** {@code ""} when every reporter is of medium trust, else {@code " (high 1, medium 1)"}. */
  private static String trustMix(List<Reporter> reporters) {
    Map<FeedTrust, Integer> counts = new TreeMap<>();
    reporters.forEach(r -> counts.merge(r.trust(), 1, Integer::sum));
    if (counts.keySet().stream().allMatch(t -> t == FeedTrust.MEDIUM)) {
      return "";
    }
    List<String> out = new ArrayList<>();
    counts.forEach((t, n) -> out.add(t.label() + " " + n));
    return " (" + String.join(", ", out) + ")";
  }

  private static String reporterList(List<Reporter> reporters) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < reporters.size(); i++) {
      Reporter r = reporters.get(i);
      out.add(r.name() + " " + r.trust().label() + (i < MAX_REPORTERS ? " +" + r.trust().weight() : " (not counted)")
          + (r.sources().equals(List.of(r.name())) ? "" : " via " + String.join(", ", r.sources())));
    }
    return out.isEmpty() ? "" : ": " + String.join("; ", out);
  }
}
