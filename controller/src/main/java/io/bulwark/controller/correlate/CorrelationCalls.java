package io.bulwark.controller.correlate;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.FeedTrust;
import io.bulwark.controller.domain.IndicatorReportStore;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.report.IntelMarkings;
import io.bulwark.proto.admin.v1.Indicator;
import io.bulwark.proto.admin.v1.IndicatorDetail;
import io.bulwark.proto.admin.v1.IndicatorReport;
import io.bulwark.proto.admin.v1.ListIndicatorsResponse;
import io.bulwark.proto.admin.v1.PriorityContribution;
import io.bulwark.proto.admin.v1.RelatedIndicator;
import io.bulwark.proto.admin.v1.RelatedIndicatorsResponse;
import io.bulwark.proto.admin.v1.SearchHit;
import io.bulwark.proto.admin.v1.SearchIndicatorsResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The admin calls over the correlation index, as protocol messages. Values are returned as read
 * from the feed; the CLI defangs them for display. Like {@code ListIndicators}, an indicator marked
 * TLP:RED shows only its id to callers who may not read it. Role checks are the caller's job.
 */
public final class CorrelationCalls {
  private static final String WITHHELD = io.bulwark.controller.report.IntelMarkings.WITHHELD;
  private final CorrelationIndex index;
  private final CorrelationSearch search;
  private final PriorityScores priorities;
  private final IndicatorStore indicators;
  private final IndicatorReportStore reports;
  private final Supplier<Map<String, FeedTrust>> trustBySource;
  private final Supplier<Map<String, Countermeasure.Severity>> severityBySource;
  private final IntelMarkings markings;

  /**
   * @param trustBySource the trust of each feed by its ingest source; other sources are of medium trust
   * @param severityBySource the default severity of each feed that has one, by its ingest source
   */
  public CorrelationCalls(CorrelationIndex index, CorrelationSearch search, PriorityScores priorities,
      IndicatorStore indicators, IndicatorReportStore reports, Supplier<Map<String, FeedTrust>> trustBySource,
      Supplier<Map<String, Countermeasure.Severity>> severityBySource, IntelMarkings markings) {
    this.index = index;
    this.markings = markings;
    this.search = search;
    this.priorities = priorities;
    this.indicators = indicators;
    this.reports = reports;
    this.trustBySource = trustBySource;
    this.severityBySource = severityBySource;
  }

  /**
   * {@code ShowIndicator}: {@code shown} (as the caller may see it) with its priority, the terms of
   * the priority, who reported it and the severity its feeds suggest.
   */
  public IndicatorDetail detail(Indicator shown) {
    PriorityScores.Score s = priorities.score(shown.getId());
    var out = IndicatorDetail.newBuilder()
        .setIndicator(shown.toBuilder().setPriority(s.score()).setPriorityWhy(s.why()));
    s.contributions().forEach(c -> out.addContributions(
        PriorityContribution.newBuilder().setFactor(c.factor()).setDetail(c.detail()).setPoints(c.points())));
    Map<String, FeedTrust> trust = trustBySource.get();
    Map<String, Countermeasure.Severity> severity = severityBySource.get();
    Countermeasure.Severity suggested = null;
    for (var r : reports.find(List.of(shown.getId())).getOrDefault(shown.getId(), List.of())) {
      out.addReports(IndicatorReport.newBuilder().setSource(r.source())
          .setTrust(trust.getOrDefault(r.source(), FeedTrust.MEDIUM).label()).setTimes(r.times())
          .setFirstAtMillis(r.firstAt().toEpochMilli()).setLastAtMillis(r.lastAt().toEpochMilli()));
      Countermeasure.Severity v = severity.get(r.source());
      // Severity declares CRITICAL first: a lower ordinal is more severe.
      if (v != null && (suggested == null || v.ordinal() < suggested.ordinal())) {
        suggested = v;
      }
    }
    return out.setSuggestedSeverity(suggested == null ? "" : suggested.label()).build();
  }

  /** {@code RelatedIndicators}; an unknown id has no related indicators. */
  public RelatedIndicatorsResponse related(String id, boolean mayReadRed) {
    List<Link> links = index.related(id);
    Set<String> red = red(links.stream().map(Link::indicatorId).toList(), mayReadRed);
    Map<String, String> names = names(links.stream().map(Link::indicatorId).toList());
    boolean selfRed = !red(List.of(id), mayReadRed).isEmpty();
    var out = RelatedIndicatorsResponse.newBuilder();
    for (Link l : links) {
      boolean hide = selfRed || red.contains(l.indicatorId());
      out.addRelated(RelatedIndicator.newBuilder().setId(l.indicatorId()).setLevel(l.level().label())
          .setName(hide ? WITHHELD : names.getOrDefault(l.indicatorId(), ""))
          .addAllShared(hide ? List.of(WITHHELD) : l.shared()));
    }
    return out.build();
  }

  /** {@code SearchIndicators}. */
  public SearchIndicatorsResponse search(String term, boolean mayReadRed) {
    List<Hit> hits = search.search(term);
    Set<String> red = red(hits.stream().map(Hit::indicatorId).toList(), mayReadRed);
    var out = SearchIndicatorsResponse.newBuilder();
    for (Hit h : hits) {
      boolean hide = red.contains(h.indicatorId());
      out.addHits(SearchHit.newBuilder().setId(h.indicatorId()).setName(hide ? WITHHELD : h.name())
          .setWhy(hide ? WITHHELD : h.why()));
    }
    return out.build();
  }

  /** The pending ({@code new}) indicators of {@code all}, highest priority first, with their scores. */
  public ListIndicatorsResponse pending(ListIndicatorsResponse all) {
    Map<String, Indicator> pending = new LinkedHashMap<>();
    all.getIndicatorsList().stream().filter(i -> "new".equals(i.getStatus())).forEach(i -> pending.put(i.getId(), i));
    var out = ListIndicatorsResponse.newBuilder();
    for (PriorityScores.Score s : priorities.rank(pending.keySet())) {
      out.addIndicators(pending.get(s.indicatorId()).toBuilder().setPriority(s.score()).setPriorityWhy(s.why()));
    }
    return out.build();
  }

  private Set<String> red(List<String> ids, boolean mayReadRed) {
    return mayReadRed ? Set.of() : markings.withheld(ids);
  }

  private Map<String, String> names(List<String> ids) {
    return indicators.findLatest(ids).stream()
        .collect(Collectors.toMap(StoredIndicator::id, StoredIndicator::name, (a, b) -> a));
  }
}
