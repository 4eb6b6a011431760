package io.bulwark.rules.render;

import io.bulwark.rules.term.IpPrefix;

/**
 * Spells addresses for network devices, which are safest with the most basic syntax: IPv6 always
 * in hexadecimal groups, never with the dotted IPv4 tail that the canonical text ({@link
 * IpPrefix#toString()}) keeps for {@code ::a.b.c.d} and {@code ::ffff:a.b.c.d}.
 */
public final class DeviceAddresses {

  private DeviceAddresses() {}

  /** Returns the address part of {@code prefix} (no length), IPv6 in hexadecimal groups only. */
  public static String address(IpPrefix prefix) {
    String text = prefix.toString();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (prefix.family() == IpPrefix.Family.V6 && address.indexOf('.') >= 0) {
      long tail = prefix.low() & 0xFFFF_FFFFL;
      address =
          address.substring(0, address.lastIndexOf(':') + 1)
              + Long.toHexString(tail >>> 16)
              + ":"
              + Long.toHexString(tail & 0xFFFF);
    }
    return address;
  }

  /** Returns {@code prefix} as {@link #address} and {@code /length}, the length always written. */
  public static String withLength(IpPrefix prefix) {
    return address(prefix) + "/" + prefix.length();
  }
}
