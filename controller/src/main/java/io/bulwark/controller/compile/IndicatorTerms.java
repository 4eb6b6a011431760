package io.bulwark.controller.compile;

import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.stix.SpecVersion;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.TermExtractor;
import io.bulwark.rules.term.Unenforceable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The enforceable terms of an indicator version, parsed once and remembered. Versions are
 * immutable, so the cache never needs invalidating; it is bounded by dropping everything when
 * it grows past its limit. Thread-safe.
 */
public final class IndicatorTerms {
  private static final int LIMIT = 100_000;
  private final Map<String, Extraction> cache = new ConcurrentHashMap<>();

  /** The terms of one indicator version; a pattern that does not parse yields no terms. */
  public Extraction of(StoredIndicator indicator) {
    String key = indicator.id() + "@" + indicator.modified().toEpochMilli();
    Extraction cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    if (cache.size() >= LIMIT) {
      cache.clear();
    }
    Extraction extraction =
        "stix".equals(indicator.patternType())
            ? extract(indicator.pattern(), version(indicator))
            : new Extraction(
                List.of(), List.of(new Unenforceable("pattern_type '" + indicator.patternType() + "' is not enforced")));
    cache.put(key, extraction);
    return extraction;
  }

  /** The STIX version whose grammar reads the indicator's pattern. */
  public static SpecVersion version(StoredIndicator indicator) {
    return SpecVersion.of(indicator.specVersion()).orElse(SpecVersion.V2_1);
  }

  /** Parses and extracts a pattern; a pattern that does not parse yields no terms, only the reason. */
  public static Extraction extract(String pattern) {
    return extract(pattern, SpecVersion.V2_1);
  }

  /** As {@link #extract(String)}, for a pattern of STIX {@code version}. */
  public static Extraction extract(String pattern, SpecVersion version) {
    PatternResult result = PatternParser.parse(pattern, version);
    if (result instanceof PatternResult.Parsed parsed) {
      return TermExtractor.extract(parsed.pattern());
    }
    String error = ((PatternResult.Failed) result).error().toString();
    return new Extraction(List.of(), List.of(new Unenforceable("pattern does not parse: " + error)));
  }
}
