package io.bulwark.controller.domain;

import java.util.Locale;

/**
 * How much the CSIRT trusts a feed. The priority score weighs each feed that reports an indicator
 * by its trust: {@link #weight()} points, {@link #MEDIUM} being what every source counted before
 * feeds carried a trust.
 */
public enum FeedTrust {
  HIGH(15),
  MEDIUM(10),
  LOW(5);

  private final int weight;

  FeedTrust(int weight) {
    this.weight = weight;
  }

  /** The points one independent report from a source of this trust adds to the priority. */
  public int weight() {
    return weight;
  }

  /** The lower-case name used in the CLI, the database and JSON output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a label; empty means {@link #MEDIUM}.
   *
   * @throws InvalidRequestException naming the bad value and the accepted ones
   */
  public static FeedTrust parse(String text) {
    if (text == null || text.isBlank()) {
      return MEDIUM;
    }
    for (FeedTrust t : values()) {
      if (t.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new InvalidRequestException("trust '" + text + "' is not known: use high, medium or low");
  }
}
