package io.bulwark.rules.stix;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated STIX 2.1 or 2.0 indicator.
 *
 * <p>The reader guarantees: {@code id} is {@code indicator--<uuid>}; {@code pattern}, {@code
 * patternType} and {@code validFrom} are present; {@code validUntil}, when present, is after {@code
 * validFrom}; {@code modified} is not before {@code created}; when {@code patternType} is {@code
 * stix} the pattern is a valid STIX pattern of its version ({@link
 * io.bulwark.rules.stix.pattern.PatternParser#parseStrict(String, SpecVersion)}). The pattern is kept as text: one that
 * is valid but names nothing enforceable is still stored, as is one in another pattern language.
 *
 * @param id the STIX id, never null
 * @param name a short name, or null
 * @param description a description, or null; untrusted text
 * @param pattern the detection pattern as written, never null
 * @param patternType the pattern language, such as {@code stix}, never null
 * @param validFrom when the indicator starts to apply, never null
 * @param validUntil when it stops applying, or null for no end
 * @param revoked whether the producer withdrew it
 * @param created when it was created, never null
 * @param modified this version's timestamp, never null
 * @param labels the labels, possibly empty
 * @param externalReferences the external references, possibly empty
 * @param specVersion the STIX version it came as, which decides the grammar of its pattern
 */
public record Indicator(
    String id,
    String name,
    String description,
    String pattern,
    String patternType,
    Instant validFrom,
    Instant validUntil,
    boolean revoked,
    Instant created,
    Instant modified,
    List<String> labels,
    List<ExternalReference> externalReferences,
    SpecVersion specVersion) {

  public Indicator {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(patternType, "patternType");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(modified, "modified");
    Objects.requireNonNull(specVersion, "specVersion");
    labels = List.copyOf(labels);
    externalReferences = List.copyOf(externalReferences);
  }

  /** Returns true when the pattern is in the STIX patterning language. */
  public boolean isStixPattern() {
    return "stix".equals(patternType);
  }
}
