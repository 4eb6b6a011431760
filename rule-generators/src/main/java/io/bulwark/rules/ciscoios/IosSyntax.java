package io.bulwark.rules.ciscoios;

import io.bulwark.rules.term.IpPrefix;

/**
 * Spells normalised prefixes the way IOS object groups take them: {@code host A.B.C.D} or {@code
 * A.B.C.D M.M.M.M} for IPv4, {@code host X:X::X} or {@code X:X::/len} for IPv6. IPv6 is always
 * written in plain hexadecimal groups, never with a dotted IPv4 tail, so only the most basic
 * address syntax reaches the device.
 */
final class IosSyntax {

  private IosSyntax() {}

  /** Returns the object-group entry for {@code prefix}. */
  static String groupEntry(IpPrefix prefix) {
    String address = address(prefix);
    if (prefix.isSingleAddress()) {
      return "host " + address;
    }
    if (prefix.family() == IpPrefix.Family.V4) {
      return address + " " + mask(prefix.length());
    }
    return address + "/" + prefix.length();
  }

  /** Returns the address part of {@code prefix} with IPv6 in hexadecimal groups only. */
  static String address(IpPrefix prefix) {
    String text = prefix.toString();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (prefix.family() == IpPrefix.Family.V6 && address.indexOf('.') >= 0) {
      // The canonical form keeps a dotted tail for ::a.b.c.d and ::ffff:a.b.c.d; respell it.
      long tail = prefix.low() & 0xFFFF_FFFFL;
      address =
          address.substring(0, address.lastIndexOf(':') + 1)
              + Long.toHexString(tail >>> 16)
              + ":"
              + Long.toHexString(tail & 0xFFFF);
    }
    return address;
  }

  /** Returns the dotted network mask of an IPv4 prefix length. */
  static String mask(int length) {
    long bits = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
    return ((bits >>> 24) & 0xFF)
        + "."
        + ((bits >>> 16) & 0xFF)
        + "."
        + ((bits >>> 8) & 0xFF)
        + "."
        + (bits & 0xFF);
  }
}
