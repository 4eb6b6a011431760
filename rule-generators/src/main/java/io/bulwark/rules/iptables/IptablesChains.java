package io.bulwark.rules.iptables;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.List;

/** Writes one {@code iptables-restore} file for one address family. */
final class IptablesChains {

  private IptablesChains() {}

  static String write(List<IpsetContents> sets, IpPrefix.Family family) {
    StringBuilder out = new StringBuilder("*filter\n");
    for (String chain : new String[] {"INPUT", "FORWARD", "OUTPUT"}) {
      out.append(":BULWARK-").append(chain).append(" - [0:0]\n");
    }
    for (IpsetContents set : sets) {
      boolean v4 = family == IpPrefix.Family.V4;
      boolean addresses = !(v4 ? set.v4() : set.v6()).isEmpty();
      String name = set.stem() + (v4 ? "-v4" : "-v6");
      String tail =
          " -m comment --comment cm"
              + set.countermeasure().countermeasureId()
              + " "
              + IptablesGenerator.target(set.countermeasure())
              + "\n";
      if (addresses) {
        out.append("-A BULWARK-INPUT -m set --match-set ").append(name).append(" src").append(tail);
        out.append("-A BULWARK-FORWARD -m set --match-set ").append(name).append(" src");
        out.append(tail);
        out.append("-A BULWARK-FORWARD -m set --match-set ").append(name).append(" dst");
        out.append(tail);
        out.append("-A BULWARK-OUTPUT -m set --match-set ").append(name).append(" dst");
        out.append(tail);
      }
      for (Protocol protocol : Protocol.values()) {
        if (!set.ports(protocol).isEmpty()) {
          String match =
              " -p "
                  + protocol.keyword()
                  + " -m set --match-set "
                  + set.stem()
                  + "-"
                  + protocol.keyword()
                  + " dst";
          out.append("-A BULWARK-INPUT").append(match).append(tail);
          out.append("-A BULWARK-FORWARD").append(match).append(tail);
        }
      }
    }
    return out.append("COMMIT\n").toString();
  }
}
