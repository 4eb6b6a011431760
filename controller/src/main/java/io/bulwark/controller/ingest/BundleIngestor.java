package io.bulwark.controller.ingest;

import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.stix.Indicator;
import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixFormatException;
import io.bulwark.rules.stix.StixObjectResult;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a STIX 2.1 bundle object by object (bounded memory) and stores each indicator as a new
 * version when it is newer than what is stored. A refused object is reported with its id and
 * reason and does not stop the others; nothing stored before is changed by a bad bundle.
 * Thread-safe.
 */
public final class BundleIngestor {
  private final IndicatorStore indicators;
  private final StixBundleReader reader = new StixBundleReader();

  public BundleIngestor(IndicatorStore indicators) {
    this.indicators = indicators;
  }

  /** A refused object. */
  public record Rejected(String objectId, String reason) {}

  /** What one bundle did. */
  public record Report(int stored, int unchanged, int otherObjects, List<Rejected> rejected) {}

  /**
   * Ingests one bundle.
   *
   * @throws InvalidRequestException when the input is not a STIX bundle at all
   */
  public Report ingest(InputStream bundle, String source) {
    int[] counts = new int[3];
    List<Rejected> rejected = new ArrayList<>();
    try {
      reader.read(
          bundle,
          result -> {
            if (result instanceof StixObjectResult.Rejected r) {
              rejected.add(new Rejected(r.objectId() == null ? "" : r.objectId(), r.reason()));
              return;
            }
            var accepted = (StixObjectResult.Accepted) result;
            if (accepted.indicator().isEmpty()) {
              counts[2]++;
              return;
            }
            Indicator i = accepted.indicator().get();
            StoredIndicator stored =
                new StoredIndicator(
                    i.id(), i.modified(), i.name(), i.pattern(), i.patternType(), i.validFrom(), i.validUntil(),
                    i.revoked(), source, accepted.object().json());
            counts[indicators.offer(stored) == IndicatorStore.Offer.STORED ? 0 : 1]++;
          });
    } catch (StixFormatException e) {
      throw new InvalidRequestException(
          source + ": not a STIX bundle: " + e.getMessage() + storedSoFar(counts));
    }
    return new Report(counts[0], counts[1], counts[2], rejected);
  }

  private static String storedSoFar(int[] counts) {
    return counts[0] == 0 ? "" : " (" + counts[0] + " indicators before that point were stored)";
  }
}
