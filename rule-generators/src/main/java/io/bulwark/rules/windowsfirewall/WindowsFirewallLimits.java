package io.bulwark.rules.windowsfirewall;

/**
 * Size limits of the rendered script. Addresses and ports are split over several rules so each
 * stays within {@code maxEntriesPerRule}; more rules than {@code maxRules} yields {@link
 * io.bulwark.rules.spi.GenerationResult.Invalid} naming the count and the limit.
 *
 * @param maxEntriesPerRule the most remote addresses or local ports one rule may hold, at least 1
 * @param maxRules the most rules the group may hold, at least 1
 */
public record WindowsFirewallLimits(int maxEntriesPerRule, int maxRules) {

  /** 1,000 addresses or ports per rule and 1,000 rules. */
  public static final WindowsFirewallLimits DEFAULTS = new WindowsFirewallLimits(1000, 1000);

  /**
   * @throws IllegalArgumentException when a limit is below 1
   */
  public WindowsFirewallLimits {
    if (maxEntriesPerRule < 1 || maxRules < 1) {
      throw new IllegalArgumentException("Windows Firewall limits must be at least 1");
    }
  }
}
