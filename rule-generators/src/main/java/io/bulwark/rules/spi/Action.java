package io.bulwark.rules.spi;

/**
 * What a device does with traffic that matches a countermeasure's terms.
 *
 * <p>{@link #SINKHOLE} is a DNS action: it applies to domain terms only, and only DNS targets
 * redirect names (the RPZ target answers with the countermeasure's {@link Sinkhole}). Every other
 * kind of term of a sinkhole countermeasure (addresses, ports, URLs, hashes) is enforced by no
 * target and reported as uncovered: a sinkhole never blocks by the back door, and an analyst who
 * wants those terms blocked approves a block countermeasure for them. Targets that cannot redirect
 * names leave the domain terms out too, except where they can still do part of the job (Suricata
 * detects the queries; a PAN-OS domain list feeds the firewall's own DNS sinkhole), which their
 * coverage reports as partial.
 */
public enum Action {
  /** Drop the traffic. */
  BLOCK,
  /** Let the traffic pass, but log and count it. */
  ALERT,
  /**
   * Answer DNS queries for the countermeasure's domains with its {@link Sinkhole} (a host name or
   * an address) instead of the real answer, so infected clients connect to the sinkhole and show
   * themselves. A countermeasure with this action always carries a sinkhole.
   */
  SINKHOLE
}
