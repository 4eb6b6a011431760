package io.bulwark.controller.correlate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * A priority score per indicator, higher first, with a one-line reason:
 *
 * <pre>
 * score = 0.4 * confidence              (STIX confidence 0..100; 50 when absent)   0..40
 *       + 10 * min(sources, 3)          (distinct reporters of it and its duplicates) 10..30
 *       + 5 * min(related-high, 4)      (links through a shared object or CVE)       0..20
 *       - min(age in days / 30, 20)     (one point per 30 days since created)      -20..0
 * </pre>
 *
 * A reporter is the {@code created_by_ref}, else the ingest source. Rounded to a whole number.
 * Thread-safe.
 */
public final class PriorityScores {
  private static final int DEFAULT_CONFIDENCE = 50;

  private final Jdbi jdbi;
  private final CorrelationIndex index;
  private final Clock clock;

  /**
   * A score and why.
   *
   * @param why for example {@code confidence 80 (+32), 2 sources (+20), 1 related-high (+5), 95 days old (-3)}
   */
  public record Score(String indicatorId, int score, String why) {}

  public PriorityScores(Jdbi jdbi, CorrelationIndex index, Clock clock) {
    this.jdbi = jdbi;
    this.index = index;
    this.clock = clock;
  }

  /** The scores of {@code ids}, highest first, then by id; ids not in the index score as unknown. */
  public List<Score> rank(Collection<String> ids) {
    return ids.stream()
        .map(this::score)
        .sorted(Comparator.comparingInt(Score::score).reversed().thenComparing(Score::indicatorId))
        .toList();
  }

  /** The score of one indicator. */
  public Score score(String id) {
    Optional<Doc> doc = doc(id);
    int confidence = doc.map(Doc::confidence).orElse(DEFAULT_CONFIDENCE);
    List<Link> links = index.related(id);
    Set<String> reporters = new HashSet<>();
    doc.ifPresent(d -> reporters.add(d.reporter()));
    long high = 0;
    for (Link l : links) {
      if (l.level() == Level.DUPLICATE) {
        doc(l.indicatorId()).ifPresent(d -> reporters.add(d.reporter()));
      } else if (l.level() == Level.RELATED_HIGH) {
        high++;
      }
    }
    int sources = Math.max(1, reporters.size());
    long days = doc.map(Doc::created)
        .map(c -> Math.max(0, Duration.between(c, clock.instant()).toDays()))
        .orElse(0L);
    double c = 0.4 * confidence;
    int s = 10 * Math.min(sources, 3);
    int h = 5 * (int) Math.min(high, 4);
    int a = (int) Math.min(days / 30, 20);
    int score = (int) Math.round(c + s + h - a);
    String why = "confidence " + confidence + (doc.map(Doc::confidenceSet).orElse(false) ? "" : " (default)")
        + " (+" + Math.round(c) + "), " + sources + (sources == 1 ? " source" : " sources") + " (+" + s + "), "
        + high + " related-high (+" + h + "), " + days + " days old (-" + a + ")";
    return new Score(id, score, why);
  }

  private Optional<Doc> doc(String id) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT confidence, reporter, created FROM correlation_docs WHERE indicator_id = ?")
        .bind(0, id)
        .map((rs, ctx) -> {
          int conf = rs.getInt(1);
          boolean set = !rs.wasNull();
          long created = rs.getLong(3);
          Instant at = rs.wasNull() ? null : Instant.ofEpochMilli(created);
          return new Doc(set ? conf : DEFAULT_CONFIDENCE, set, rs.getString(2), at);
        })
        .findOne());
  }

  private record Doc(int confidence, boolean confidenceSet, String reporter, Instant created) {}
}
