package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which sources reported which indicators, also when a source sent a version that was already
 * stored, and the STIX sightings of indicators: the priority score counts both. Thread-safe; each method is one transaction, or
 * part of the enclosing one.
 */
public interface IndicatorReportStore {
  /**
   * What one source reported of one indicator.
   *
   * @param source the ingest source: a file name, or {@code taxii:} and the feed's name
   * @param times how many ingests from this source carried the indicator
   */
  record Report(String indicatorId, String source, Instant firstAt, Instant lastAt, int times) {}

  /** Records that {@code source} reported each of {@code indicatorIds} (duplicates count once) at {@code at}. */
  void record(Collection<String> indicatorIds, String source, Instant at);

  /**
   * As {@link #record(Collection, String, Instant)}, where the caller knows that no source has
   * reported any of {@code unreported} before (they are first versions, stored in this unit), so
   * their rows are written without being looked up. Ids in {@code unreported} that are not in
   * {@code indicatorIds} are ignored.
   */
  default void record(Collection<String> indicatorIds, java.util.Set<String> unreported, String source, Instant at) {
    record(indicatorIds, source, at);
  }

  /** The reports of each of {@code indicatorIds} that has any, each list ordered by source. */
  Map<String, List<Report>> find(Collection<String> indicatorIds);

  /**
   * A STIX sighting of an indicator, one version of it.
   *
   * @param count how many times it was seen (STIX {@code count}, 1 when absent), 0 to 999,999,999
   */
  record Sighting(String sightingId, String indicatorId, Instant modified, int count, String source) {}

  /** Keeps {@code s} unless a version of the same sighting as new or newer is kept already. */
  void recordSighting(Sighting s);

  /** The sum of the sightings' counts of each of {@code indicatorIds} that has any. */
  Map<String, Long> sightings(Collection<String> indicatorIds);
}
