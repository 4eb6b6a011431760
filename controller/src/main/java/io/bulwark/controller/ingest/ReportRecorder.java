package io.bulwark.controller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.IndicatorReportStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.stix.StixObject;
import java.time.Clock;

/**
 * Records, inside the ingest's transaction, which source reported which indicators, stored or
 * already known, and the STIX sightings of indicators, so the priority score can count independent
 * and trusted reporters and sightings. Thread-safe.
 */
public final class ReportRecorder implements BundleIngestor.Hook {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_COUNT = 999_999_999;
  private final IndicatorReportStore reports;
  private final Clock clock;

  public ReportRecorder(IndicatorReportStore reports, Clock clock) {
    this.reports = reports;
    this.clock = clock;
  }

  /** Keeps sightings of indicators; a sighting that names no indicator or has no timestamp is skipped. */
  @Override
  public void otherObject(StixObject object, String source) {
    if (!"sighting".equals(object.type()) || object.modified() == null) {
      return;
    }
    JsonNode json;
    try {
      json = JSON.readTree(object.json());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    String of = json.path("sighting_of_ref").asText("");
    if (!of.startsWith("indicator--") || of.length() > 200 || object.id().length() > 200) {
      return;
    }
    JsonNode count = json.path("count");
    // STIX: an integer from 0 to 999,999,999; absent means once. Anything else counts once.
    int n = count.isIntegralNumber() && count.canConvertToInt() && count.intValue() >= 0 && count.intValue() <= MAX_COUNT
        ? count.intValue() : 1;
    reports.recordSighting(new IndicatorReportStore.Sighting(object.id(), of, object.modified(), n, source));
  }

  @Override
  public void batchDone(BundleIngestor.Batch batch) {
    reports.record(batch.seen().stream().map(StoredIndicator::id).toList(), batch.firstVersions(), batch.source(),
        clock.instant());
  }
}
