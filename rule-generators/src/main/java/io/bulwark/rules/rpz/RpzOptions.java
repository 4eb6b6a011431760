package io.bulwark.rules.rpz;

import io.bulwark.rules.term.DomainTerm;
import java.util.Objects;

/**
 * Settings of the RPZ target.
 *
 * @param zone the policy zone's name, {@code rpz.bulwark} by default; never null
 * @param sinkhole where blocked names point instead of NXDOMAIN, or null for NXDOMAIN
 * @param subdomains whether {@code *.name} is blocked along with {@code name}
 * @param maxRecords the most policy records one zone may hold
 * @param ttl the time to live of every record, in seconds
 */
public record RpzOptions(
    DomainTerm zone, DomainTerm sinkhole, boolean subdomains, int maxRecords, int ttl) {

  /** The defaults: zone {@code rpz.bulwark}, NXDOMAIN, subdomains, 2,000,000 records, 300 s. */
  public static final RpzOptions DEFAULTS =
      new RpzOptions(new DomainTerm("rpz.bulwark"), null, true, 2_000_000, 300);

  public RpzOptions {
    Objects.requireNonNull(zone, "zone");
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be positive");
    }
    if (ttl < 0) {
      throw new IllegalArgumentException("ttl must not be negative");
    }
  }
}
