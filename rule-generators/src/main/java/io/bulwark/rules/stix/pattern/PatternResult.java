package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/** The outcome of {@link PatternParser#parse}: a pattern, or the first error found. */
public sealed interface PatternResult {

  /**
   * The text is a pattern in the supported subset.
   *
   * @param pattern the syntax tree, never null
   */
  record Parsed(Pattern pattern) implements PatternResult {
    public Parsed {
      Objects.requireNonNull(pattern, "pattern");
    }
  }

  /**
   * The text is not a pattern, or uses a construct not supported yet.
   *
   * @param error where and why, never null
   */
  record Failed(PatternError error) implements PatternResult {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }
}
