package io.bulwark.rules.suricata;

/**
 * Settings of the Suricata target.
 *
 * @param sidBase the first sid Bulwark may use; the operator reserves the range for it
 * @param sidCount how many sids from {@code sidBase} on are Bulwark's, at least 1
 * @param datasetThreshold above this many domains in one countermeasure, they go to a dataset list
 *     file instead of one rule per domain
 * @param maxAddressesPerRule the most prefixes in one rule's address group; more are split into
 *     several rules
 */
public record SuricataOptions(
    long sidBase, int sidCount, int datasetThreshold, int maxAddressesPerRule) {

  /** Sids 9,000,000 to 9,999,999, datasets above 50 domains, 1,000 addresses per rule. */
  public static final SuricataOptions DEFAULTS =
      new SuricataOptions(9_000_000, 1_000_000, 50, 1000);

  public SuricataOptions {
    if (sidBase < 1 || sidCount < 1 || sidBase + sidCount - 1 > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("the sid range must lie within 1..4294967295");
    }
    if (datasetThreshold < 0 || maxAddressesPerRule < 1) {
      throw new IllegalArgumentException("datasetThreshold >= 0 and maxAddressesPerRule >= 1");
    }
  }
}
