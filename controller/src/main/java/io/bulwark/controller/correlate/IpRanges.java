package io.bulwark.controller.correlate;

import io.bulwark.rules.term.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * IP prefixes as ranges of 128-bit addresses written as 32 lowercase hex digits, so that text
 * order is numeric order and the database can use an ordinary index.
 */
final class IpRanges {
  private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private IpRanges() {}

  static String family(IpPrefix p) {
    return p.family() == IpPrefix.Family.V4 ? "v4" : "v6";
  }

  static String first(IpPrefix p) {
    return hex(value(p));
  }

  static String last(IpPrefix p) {
    int hostBits = p.family().bits() - p.length();
    return hex(value(p).add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE));
  }

  /** The first addresses of every prefix that contains {@code p}, {@code /0} to {@code p} itself. */
  static List<String> containingFirsts(IpPrefix p) {
    BigInteger v = value(p);
    int bits = p.family().bits();
    List<String> firsts = new ArrayList<>(p.length() + 1);
    for (int length = 0; length <= p.length(); length++) {
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
      firsts.add(hex(v.andNot(hostMask)));
    }
    return firsts;
  }

  private static BigInteger value(IpPrefix p) {
    return BigInteger.valueOf(p.high()).and(MASK64).shiftLeft(64).or(BigInteger.valueOf(p.low()).and(MASK64));
  }

  private static String hex(BigInteger v) {
    String digits = v.toString(16);
    return "0".repeat(32 - digits.length()) + digits;
  }
}
