package io.bulwark.rules.stix;

import java.util.Optional;

/**
 * The STIX version an object came as. STIX 2.0 objects carry no {@code spec_version} and their
 * patterns differ from 2.1 in one place: {@code START} and {@code STOP} take a timestamp string
 * ({@code START '2016-06-01T00:00:00Z'}) where 2.1 takes {@code t'...'}. Indicators of 2.0 have no
 * {@code pattern_type}: their pattern is always a STIX pattern.
 */
public enum SpecVersion {
  V2_0("2.0"),
  V2_1("2.1");

  private final String text;

  SpecVersion(String text) {
    this.text = text;
  }

  /** The version as STIX writes it, {@code 2.0} or {@code 2.1}. */
  public String text() {
    return text;
  }

  /** The version written as {@code text}, or empty for any other text (including null). */
  public static Optional<SpecVersion> of(String text) {
    for (SpecVersion v : values()) {
      if (v.text.equals(text)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
