package io.bulwark.controller.correlate;

import io.bulwark.controller.domain.FeedTrust;
import io.bulwark.controller.domain.IndicatorReportStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * A priority score per indicator, higher first, with a one-line reason and its terms, by {@link
 * PriorityFormula} (the formula is documented there). This class gathers the formula's inputs: the
 * confidence and age from the correlation index, the related-high links and duplicates from {@link
 * CorrelationIndex}, who reported the indicator and its duplicates and their sightings from the
 * {@link IndicatorReportStore}, and each feed's trust. Thread-safe.
 */
public final class PriorityScores {
  private static final String IDENTITY = "identity--";

  private final Jdbi jdbi;
  private final CorrelationIndex index;
  private final IndicatorReportStore reports;
  private final Supplier<Map<String, FeedTrust>> trustBySource;
  private final Clock clock;
  private final LinkedVulnerabilities vulnerabilities;

  /**
   * A score and why.
   *
   * @param why for example {@code confidence 80 (+32), 2 sources (high 1, medium 1) (+25), 1 related-high (+5), 95
   *     days old (-3)}
   * @param contributions the terms of the score, each with what it was computed from
   */
  public record Score(String indicatorId, int score, String why, List<PriorityFormula.Contribution> contributions) {}

  /**
   * @param trustBySource the trust of each feed by its ingest source; other sources are of medium trust
   */
  public PriorityScores(Jdbi jdbi, CorrelationIndex index, IndicatorReportStore reports,
      Supplier<Map<String, FeedTrust>> trustBySource, Clock clock, LinkedVulnerabilities vulnerabilities) {
    this.vulnerabilities = vulnerabilities;
    this.jdbi = jdbi;
    this.index = index;
    this.reports = reports;
    this.trustBySource = trustBySource;
    this.clock = clock;
  }

  /** The scores of {@code ids}, highest first, then by id; ids not in the index score as unknown. */
  public List<Score> rank(Collection<String> ids) {
    Map<String, FeedTrust> trust = trustBySource.get();
    return ids.stream()
        .map(id -> score(id, trust))
        .sorted(Comparator.comparingInt(Score::score).reversed().thenComparing(Score::indicatorId))
        .toList();
  }

  /** The score of one indicator. */
  public Score score(String id) {
    return score(id, trustBySource.get());
  }

  private Score score(String id, Map<String, FeedTrust> trust) {
    Optional<Doc> doc = doc(id);
    List<String> reported = new ArrayList<>(List.of(id));
    long high = 0;
    for (Link l : index.related(id)) {
      if (l.level() == Level.DUPLICATE) {
        reported.add(l.indicatorId());
      } else if (l.level() == Level.RELATED_HIGH) {
        high++;
      }
    }
    long days = doc.map(Doc::created)
        .map(c -> Math.max(0, Duration.between(c, clock.instant()).toDays()))
        .orElse(0L);
    long sightings = reports.sightings(reported).values().stream().mapToLong(Long::longValue).sum();
    var linked = vulnerabilities.mostSevere(id, cves(id)).orElse(null);
    var result = PriorityFormula.of(new PriorityFormula.Inputs(doc.map(Doc::confidence).orElse(null),
        reporters(reported, trust), high, sightings, days, linked));
    return new Score(id, result.score(), result.why(), result.contributions());
  }

  /** The independent reporters of {@code ids} (an indicator and its duplicates). */
  private List<PriorityFormula.Reporter> reporters(List<String> ids, Map<String, FeedTrust> trust) {
    Map<String, List<IndicatorReportStore.Report>> byId = reports.find(ids);
    Map<String, TreeSet<String>> sourcesByReporter = new LinkedHashMap<>();
    for (String id : ids) {
      Optional<Doc> d = doc(id);
      if (d.isEmpty()) {
        continue;
      }
      // created_by_ref names an identity; otherwise the index recorded the delivering source.
      String producer = d.get().reporter().startsWith(IDENTITY) ? d.get().reporter() : null;
      List<String> sources = byId.getOrDefault(id, List.of()).stream().map(IndicatorReportStore.Report::source).toList();
      if (sources.isEmpty()) {
        sources = List.of(d.get().reporter()); // ingested before sources were recorded
      }
      for (String source : sources) {
        sourcesByReporter.computeIfAbsent(producer == null ? source : producer, k -> new TreeSet<>()).add(source);
      }
    }
    List<PriorityFormula.Reporter> out = new ArrayList<>();
    sourcesByReporter.forEach((name, sources) -> {
      FeedTrust best = sources.stream().map(s -> trust.getOrDefault(s, FeedTrust.MEDIUM))
          .max(Comparator.comparingInt(FeedTrust::weight)).orElse(FeedTrust.MEDIUM);
      out.add(new PriorityFormula.Reporter(name, best, List.copyOf(sources)));
    });
    return out;
  }

  /** The CVE ids the indicator cites in its external references, as the index recorded them. */
  private java.util.Set<String> cves(String id) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT shown FROM correlation_keys WHERE indicator_id = ? AND kind = 'extref'")
        .bind(0, id)
        .mapTo(String.class)
        .stream()
        .map(shown -> shown.substring(shown.indexOf(':') + 1))
        .filter(v -> v.toUpperCase(java.util.Locale.ROOT).startsWith("CVE-"))
        .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
  }

  private Optional<Doc> doc(String id) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT confidence, reporter, created FROM correlation_docs WHERE indicator_id = ?")
        .bind(0, id)
        .map((rs, ctx) -> {
          int conf = rs.getInt(1);
          Integer confidence = rs.wasNull() ? null : conf;
          long created = rs.getLong(3);
          Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(created);
          return new Doc(confidence, rs.getString(2), at);
        })
        .findOne());
  }

  private record Doc(Integer confidence, String reporter, Instant created) {}
}
