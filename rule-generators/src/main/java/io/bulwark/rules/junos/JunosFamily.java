package io.bulwark.rules.junos;

import io.bulwark.rules.term.IpPrefix;

/** The two filter families and how each spells what differs between them. */
enum JunosFamily {
  INET(IpPrefix.Family.V4, "inet", "-v4", "protocol"),
  INET6(IpPrefix.Family.V6, "inet6", "-v6", "next-header");

  private final IpPrefix.Family addresses;
  private final String keyword;
  private final String listSuffix;
  private final String protocolMatch;

  JunosFamily(IpPrefix.Family addresses, String keyword, String listSuffix, String protocolMatch) {
    this.addresses = addresses;
    this.keyword = keyword;
    this.listSuffix = listSuffix;
    this.protocolMatch = protocolMatch;
  }

  /** The address family of the prefixes this filter matches. */
  IpPrefix.Family addresses() {
    return addresses;
  }

  /** The path of the filter's terms, up to and including the word {@code term}. */
  String termPath() {
    return "firewall family " + keyword + " filter " + JunosGenerator.FILTER + " term ";
  }

  /** The name of countermeasure {@code id}'s prefix list of this family. */
  String listName(long id) {
    return "bulwark-cm" + id + listSuffix;
  }

  /**
   * The match condition naming the transport protocol: {@code protocol} in {@code inet}, {@code
   * next-header} in {@code inet6}.
   */
  String protocolMatch() {
    return protocolMatch;
  }
}
