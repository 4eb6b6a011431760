package io.bulwark.rules.ciscoios;

/**
 * The two access lists Bulwark owns on an IOS device and how each spells its commands: the IPv4
 * extended list numbers entries with a bare number, the IPv6 list with {@code sequence}.
 */
enum IosAcl {
  V4(
      "ip access-list extended BULWARK-IN",
      "ip access-list resequence BULWARK-IN",
      "",
      "ip",
      "permit ip any any"),
  V6(
      "ipv6 access-list BULWARK-IN6",
      "ipv6 access-list resequence BULWARK-IN6",
      "sequence ",
      "ipv6",
      "permit ipv6 any any");

  private final String header;
  private final String resequence;
  private final String sequencePrefix;
  private final String protocol;
  private final String finalEntry;

  IosAcl(
      String header, String resequence, String sequencePrefix, String protocol, String finalEntry) {
    this.header = header;
    this.resequence = resequence;
    this.sequencePrefix = sequencePrefix;
    this.protocol = protocol;
    this.finalEntry = finalEntry;
  }

  /** The global command that enters the list's configuration mode. */
  String header() {
    return header;
  }

  /** The global command that renumbers the list from {@code start} in steps of {@code step}. */
  String resequence(long start, long step) {
    return resequence + " " + start + " " + step;
  }

  /** Returns the entry {@code body} numbered {@code sequence}, as typed in list mode. */
  String numbered(long sequence, String body) {
    return sequencePrefix + sequence + " " + body;
  }

  /** Returns the list-mode command removing the entry numbered {@code sequence}. */
  String remove(long sequence) {
    return "no " + sequencePrefix + sequence;
  }

  /** The protocol keyword matching every packet of the family: {@code ip} or {@code ipv6}. */
  String protocol() {
    return protocol;
  }

  /** The last entry, which lets through everything no countermeasure matched. */
  String finalEntry() {
    return finalEntry;
  }
}
