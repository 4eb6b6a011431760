package io.bulwark.rules.ciscoios;

/**
 * Size limits of the rendered IOS configuration. Input beyond a limit yields {@link
 * io.bulwark.rules.spi.GenerationResult.Invalid} naming the count and the limit, never a truncated
 * configuration. The defaults stay below what Cisco documents for IPv6 object-group access lists
 * (at most 2,048 entries that use object groups per list).
 *
 * @param maxGroupEntries the most entries one {@code object-group network} may hold, at least 1
 * @param maxAclEntries the most permit and deny entries one access list may hold, counting the
 *     final {@code permit}, 1 to {@value #MAX_ACL_ENTRIES}
 */
public record CiscoIosLimits(int maxGroupEntries, int maxAclEntries) {

  /** 1,000 entries per object group and 1,000 entries per access list. */
  public static final CiscoIosLimits DEFAULTS = new CiscoIosLimits(1000, 1000);

  /**
   * The highest {@code maxAclEntries}: a delta renumbers a list in steps as wide as the entries it
   * inserts, and the product must stay below IOS's highest sequence number, 2147483647.
   */
  public static final int MAX_ACL_ENTRIES = 46_000;

  /**
   * @throws IllegalArgumentException when a limit is below 1 or {@code maxAclEntries} is above
   *     {@link #MAX_ACL_ENTRIES}
   */
  public CiscoIosLimits {
    if (maxGroupEntries < 1 || maxAclEntries < 1 || maxAclEntries > MAX_ACL_ENTRIES) {
      throw new IllegalArgumentException(
          "IOS limits must be at least 1, and at most " + MAX_ACL_ENTRIES + " entries per list");
    }
  }
}
