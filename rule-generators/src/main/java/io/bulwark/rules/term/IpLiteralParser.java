package io.bulwark.rules.term;

import io.bulwark.rules.term.IpPrefix.Family;

/**
 * Parses IP literals by hand. {@code InetAddress.getByName} is avoided on purpose: given a string
 * that is not a literal it resolves it through DNS, and it accepts forms (zone indexes,
 * octal-looking octets on some platforms) that a firewall rule must not.
 */
final class IpLiteralParser {

  /** Longer than any literal with a prefix length, {@code ffff:...:255.255.255.255/128}. */
  private static final int MAX_LENGTH = 64;

  private IpLiteralParser() {}

  static TermParse<IpPrefix> parse(String text) {
    try {
      return new TermParse.Valid<>(parseOrThrow(text));
    } catch (Rejection e) {
      return new TermParse.Invalid<>(e.getMessage());
    }
  }

  private static IpPrefix parseOrThrow(String text) {
    if (text == null || text.isEmpty()) {
      throw new Rejection("empty value is not an IP address");
    }
    if (text.length() > MAX_LENGTH) {
      throw new Rejection("too long to be an IP address (" + text.length() + " characters)");
    }
    boolean v6 = text.indexOf(':') >= 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c == '/' || c == '.' || isDigit(c) || (v6 && (c == ':' || isHex(c)));
      if (!allowed) {
        throw new Rejection(
            "unexpected character " + describe(c) + " at " + i + " of an IP literal");
      }
    }
    int slash = text.indexOf('/');
    if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) {
      throw new Rejection("more than one '/' in an IP prefix");
    }
    String address = slash < 0 ? text : text.substring(0, slash);
    Family family = v6 ? Family.V6 : Family.V4;
    long high = 0;
    long low;
    if (v6) {
      long[] bits = parseV6(address);
      high = bits[0];
      low = bits[1];
    } else {
      low = parseV4(address);
    }
    if (slash < 0) {
      return IpPrefix.address(family, high, low);
    }
    int length = parseLength(text.substring(slash + 1), family);
    IpPrefix network = IpPrefix.network(family, high, low, length);
    if (network.high() != high || network.low() != low) {
      throw new Rejection(
          "host bits are set beyond /" + length + " (the network is " + network + ")");
    }
    return network;
  }

  private static int parseLength(String digits, Family family) {
    if (digits.isEmpty()
        || digits.length() > 3
        || !digits.chars().allMatch(IpLiteralParser::isDigit)) {
      throw new Rejection("prefix length must be a number from 0 to " + family.bits());
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new Rejection("prefix length has a leading zero");
    }
    int length = Integer.parseInt(digits);
    if (length > family.bits()) {
      throw new Rejection("prefix length /" + length + " exceeds /" + family.bits());
    }
    return length;
  }

  /** Returns the address in the low 32 bits. */
  private static long parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new Rejection("an IPv4 address has 4 dot-separated parts, not " + parts.length);
    }
    long bits = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(IpLiteralParser::isDigit)) {
        throw new Rejection("IPv4 part '" + part + "' is not a number from 0 to 255");
      }
      if (part.length() > 1 && part.charAt(0) == '0') {
        throw new Rejection("IPv4 part '" + part + "' has a leading zero");
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new Rejection("IPv4 part " + octet + " exceeds 255");
      }
      bits = (bits << 8) | octet;
    }
    return bits;
  }

  /** Returns {high, low}. */
  private static long[] parseV6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      throw new Rejection("'::' may appear only once in an IPv6 address");
    }
    int[] head = gap < 0 ? parseGroups(text, true) : parseGroups(text.substring(0, gap), false);
    int[] tail = gap < 0 ? new int[0] : parseGroups(text.substring(gap + 2), true);
    int explicit = head.length + tail.length;
    if (gap < 0 && explicit != 8) {
      throw new Rejection("an IPv6 address without '::' has 8 groups, not " + explicit);
    }
    if (gap >= 0 && explicit > 7) {
      throw new Rejection("an IPv6 address with '::' has at most 7 groups, not " + explicit);
    }
    int[] groups = new int[8];
    System.arraycopy(head, 0, groups, 0, head.length);
    System.arraycopy(tail, 0, groups, 8 - tail.length, tail.length);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 4; i++) {
      high = (high << 16) | groups[i];
      low = (low << 16) | groups[i + 4];
    }
    return new long[] {high, low};
  }

  /** Parses colon-separated groups; only the last one of the address may be dotted IPv4. */
  private static int[] parseGroups(String text, boolean endsAddress) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    int dotted = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
    if (dotted == 1 && !endsAddress) {
      throw new Rejection("an embedded IPv4 address must end the IPv6 address");
    }
    int[] groups = new int[parts.length + dotted];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == parts.length - 1 && dotted == 1) {
        long v4 = parseV4(part);
        groups[i] = (int) (v4 >>> 16);
        groups[i + 1] = (int) (v4 & 0xFFFF);
      } else if (part.isEmpty() || part.length() > 4 || part.indexOf('.') >= 0) {
        throw new Rejection("IPv6 group '" + part + "' is not 1 to 4 hex digits");
      } else {
        groups[i] = Integer.parseInt(part, 16);
      }
    }
    return groups;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String describe(char c) {
    return c >= 0x21 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  /** Unwinds the parser; never escapes this class. */
  private static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejection(String message) {
      super(message, null, false, false);
    }
  }
}
