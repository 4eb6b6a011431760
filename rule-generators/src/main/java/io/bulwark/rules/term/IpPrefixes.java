package io.bulwark.rules.term;

import java.util.ArrayList;
import java.util.Arrays;
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
    List<IpPrefix> v6 = new ArrayList<>();
    long[] v4 = new long[prefixes.size()];
    int v4Count = 0;
    for (IpPrefix prefix : prefixes) {
      if (prefix.family() == IpPrefix.Family.V4) {
        // Address above the length: sorting these keys sorts like compareTo, without objects.
        v4[v4Count++] = (prefix.low() << 8) | prefix.length();
      } else {
        v6.add(prefix);
      }
    }
    Arrays.sort(v4, 0, v4Count);
    List<IpPrefix> kept = new ArrayList<>(prefixes.size());
    IpPrefix last = null;
    for (int i = 0; i < v4Count; i++) {
      if (i > 0 && v4[i] == v4[i - 1]) {
        continue;
      }
      IpPrefix prefix = new IpPrefix(IpPrefix.Family.V4, 0, v4[i] >>> 8, (int) (v4[i] & 0xFF));
      if (last == null || !last.contains(prefix)) {
        kept.add(prefix);
        last = prefix;
      }
    }
    // Sorting by address and then by length puts every prefix after all prefixes that contain
    // it, and prefixes either nest or are disjoint, so comparing with the last kept one suffices.
    v6.sort(null);
    last = null;
    for (IpPrefix prefix : v6) {
      if (last == null || !last.contains(prefix)) {
        kept.add(prefix);
        last = prefix;
      }
    }
    return kept;
  }
}
