package io.bulwark.rules.term;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Operations on collections of {@link IpPrefix}.
 *
 * <p>Interval sets on devices (nftables, ipset) reject elements that overlap, so every generator
 * normalises prefixes before rendering them.
 */
public final class IpPrefixes {

  private IpPrefixes() {}

  /**
   * Removes duplicates and every prefix contained in another one, and sorts what remains.
   *
   * <p>Adjacent prefixes such as {@code 10.0.0.0/25} and {@code 10.0.0.128/25} are kept as they
   * are, not merged into {@code 10.0.0.0/24}: each element stays traceable to a term. IPv4 and IPv6
   * prefixes may be mixed; IPv4 sorts first, then each family by address.
   *
   * @param prefixes any prefixes, never null and without null elements; not modified
   * @return a new sorted list in which no prefix overlaps another
   */
  public static List<IpPrefix> normalise(Collection<IpPrefix> prefixes) {
    List<IpPrefix> sorted = new ArrayList<>(prefixes);
    // Sorting by address and then by length puts every prefix after all prefixes that contain
    // it, and prefixes either nest or are disjoint, so comparing with the last kept one suffices.
    sorted.sort(null);
    List<IpPrefix> kept = new ArrayList<>(sorted.size());
    for (IpPrefix prefix : sorted) {
      if (kept.isEmpty() || !kept.get(kept.size() - 1).contains(prefix)) {
        kept.add(prefix);
      }
    }
    return kept;
  }
}
