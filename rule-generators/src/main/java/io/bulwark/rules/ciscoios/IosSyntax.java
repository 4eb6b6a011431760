package io.bulwark.rules.ciscoios;

import io.bulwark.rules.render.DeviceAddresses;
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
    return DeviceAddresses.address(prefix);
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
