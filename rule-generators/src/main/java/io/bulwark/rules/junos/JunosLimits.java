package io.bulwark.rules.junos;

/**
 * Size limits of the rendered Junos configuration. Input beyond a limit yields {@link
 * io.bulwark.rules.spi.GenerationResult.Invalid} naming the count and the limit, never a truncated
 * configuration.
 *
 * @param maxPrefixListEntries the most prefixes one prefix list may hold, at least 1
 * @param maxFilterTerms the most terms one filter may hold, counting the final accept term, at
 *     least 1
 */
public record JunosLimits(int maxPrefixListEntries, int maxFilterTerms) {

  /** 10,000 prefixes per prefix list and 1,000 terms per filter. */
  public static final JunosLimits DEFAULTS = new JunosLimits(10_000, 1000);

  /**
   * @throws IllegalArgumentException when a limit is below 1
   */
  public JunosLimits {
    if (maxPrefixListEntries < 1 || maxFilterTerms < 1) {
      throw new IllegalArgumentException("Junos limits must be at least 1");
    }
  }
}
