package io.bulwark.rules.nftables;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Protocol;
import java.util.List;

/**
 * Writes the {@code table inet bulwark} block in the layout {@code nft -s list table} prints with
 * nftables 1.0.6 (tab indentation, a blank line between blocks, set elements in ascending order),
 * except that every set element has a line of its own where nft wraps two IPv4 prefixes or five
 * ports to a line. One element per line keeps a line delta between two rule sets as small as the
 * change: an element added in the middle of a sorted set is one inserted line instead of every
 * later line rewrapped. Reading the table back gives the same text once element lists are joined.
 */
final class NftablesTableWriter {

  static final String TABLE = "bulwark";

  private static final String ELEMENT_BREAK = ",\n\t\t\t";

  private final StringBuilder out;
  private boolean firstBlock = true;

  private NftablesTableWriter(int capacity) {
    out = new StringBuilder(capacity);
  }

  /** Renders the table; {@code countermeasures} must already be in rule order. */
  static String write(List<CountermeasureSets> countermeasures) {
    long elements = 0;
    for (CountermeasureSets cm : countermeasures) {
      elements += cm.v4().size() + cm.v6().size();
    }
    // About 16 characters per IPv4 element with separators; IPv6 ones grow the builder.
    NftablesTableWriter writer =
        new NftablesTableWriter((int) Math.min(1 << 30, 2048 + 16 * elements));
    writer.out.append("table inet ").append(TABLE).append(" {\n");
    for (CountermeasureSets cm : countermeasures) {
      writer.addressSets(cm.name() + "_v4", "ipv4_addr", cm.v4());
      writer.addressSets(cm.name() + "_v6", "ipv6_addr", cm.v6());
      for (Protocol protocol : Protocol.values()) {
        String name = cm.name() + "_" + protocol.keyword();
        writer.set(name, "inet_service", false, List.copyOf(cm.ports(protocol)));
      }
    }
    writer.chain("input", countermeasures, true, false, true);
    writer.chain("forward", countermeasures, true, true, true);
    writer.chain("output", countermeasures, false, true, false);
    writer.out.append("}\n");
    return writer.out.toString();
  }

  /**
   * Writes a family's two sets when it has any prefix, each even when empty, so that the table's
   * shape depends only on whether the family is used: {@code name} without intervals for single
   * addresses, {@code name + "net"} with intervals for wider prefixes. nft adds to and deletes from
   * a set without intervals without reading its elements first, which for a large interval set
   * takes nft 1.0.6 longer than loading a new table.
   */
  private void addressSets(String name, String type, List<IpPrefix> prefixes) {
    if (prefixes.isEmpty()) {
      return;
    }
    declare(name, type, false, CountermeasureSets.addresses(prefixes));
    declare(name + "net", type, true, CountermeasureSets.networks(prefixes));
  }

  private void set(String name, String type, boolean interval, List<?> elements) {
    if (!elements.isEmpty()) {
      declare(name, type, interval, elements);
    }
  }

  private void declare(String name, String type, boolean interval, List<?> elements) {
    startBlock();
    out.append("\tset ").append(name).append(" {\n");
    out.append("\t\ttype ").append(type).append('\n');
    if (interval) {
      out.append("\t\tflags interval\n");
    }
    if (elements.isEmpty()) {
      out.append("\t}\n");
      return;
    }
    out.append("\t\telements = { ");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        out.append(ELEMENT_BREAK);
      }
      append(elements.get(i));
    }
    out.append(" }\n\t}\n");
  }

  /**
   * Writes one base chain. {@code sources} matches the set addresses as packet sources, {@code
   * destinations} as destinations, and {@code ports} matches destination ports, so a port term
   * stops connections to services on this host or behind it.
   */
  private void chain(
      String hook,
      List<CountermeasureSets> countermeasures,
      boolean sources,
      boolean destinations,
      boolean ports) {
    startBlock();
    out.append("\tchain ").append(hook).append(" {\n");
    out.append("\t\ttype filter hook ").append(hook);
    out.append(" priority filter - 10; policy accept;\n");
    for (CountermeasureSets cm : countermeasures) {
      String verdict = verdict(cm);
      for (String suffix : new String[] {"_v4", "_v4net"}) {
        if (!cm.v4().isEmpty()) {
          match(sources, "ip saddr @" + cm.name() + suffix, verdict);
          match(destinations, "ip daddr @" + cm.name() + suffix, verdict);
        }
      }
      for (String suffix : new String[] {"_v6", "_v6net"}) {
        if (!cm.v6().isEmpty()) {
          match(sources, "ip6 saddr @" + cm.name() + suffix, verdict);
          match(destinations, "ip6 daddr @" + cm.name() + suffix, verdict);
        }
      }
      for (Protocol protocol : Protocol.values()) {
        if (!cm.ports(protocol).isEmpty()) {
          String keyword = protocol.keyword();
          match(ports, keyword + " dport @" + cm.name() + "_" + keyword, verdict);
        }
      }
    }
    out.append("\t}\n");
  }

  private void match(boolean wanted, String match, String verdict) {
    if (wanted) {
      out.append("\t\t").append(match).append(' ').append(verdict).append('\n');
    }
  }

  /** Returns the statements after the match, including the comment naming the countermeasure. */
  private static String verdict(CountermeasureSets cm) {
    String comment = " comment \"" + cm.name() + "\"";
    return switch (cm.action()) {
      case BLOCK -> "counter drop" + comment;
      case ALERT -> "log prefix \"bulwark " + cm.name() + " \" counter" + comment;
        // Never matched: a sinkhole countermeasure holds no sets (see NetworkTerms).
      case SINKHOLE -> "";
    };
  }

  private void startBlock() {
    if (!firstBlock) {
      out.append('\n');
    }
    firstBlock = false;
  }

  /** Spells an element as nft lists it: prefixes canonically, ports as numbers. */
  private void append(Object element) {
    if (element instanceof IpPrefix prefix) {
      prefix.appendTo(out);
    } else {
      out.append(element);
    }
  }
}
