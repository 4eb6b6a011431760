package io.bulwark.rules.term;

import java.util.Objects;

/**
 * An IPv4 or IPv6 network prefix with no host bits set; a single address is a /32 or /128.
 *
 * <p>The address is held as 128 bits in two longs. IPv4 addresses occupy the low 32 bits of {@code
 * low} and leave {@code high} zero. {@link #toString()} is canonical: dotted decimal for IPv4, and
 * for IPv6 the RFC 5952 lowercase compressed form exactly as glibc's {@code inet_ntop} prints it
 * (which is what {@code nft} lists), including the dotted tail of {@code ::ffff:192.0.2.1}. The
 * prefix length is omitted for a single address.
 *
 * @param family IPv4 or IPv6, never null
 * @param high the upper 64 bits of an IPv6 address, zero for IPv4
 * @param low the lower 64 bits of an IPv6 address, or the IPv4 address
 * @param length the prefix length, 0 to 32 for IPv4 and 0 to 128 for IPv6
 */
public record IpPrefix(Family family, long high, long low, int length)
    implements Term, Comparable<IpPrefix> {

  /** The address family of a prefix. */
  public enum Family {
    V4(32),
    V6(128);

    private final int bits;

    Family(int bits) {
      this.bits = bits;
    }

    /** Returns the number of bits in an address of this family. */
    public int bits() {
      return bits;
    }
  }

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException when the length is out of range for the family or host bits
   *     are set; use {@link #parse} for text from a feed
   */
  public IpPrefix {
    Objects.requireNonNull(family, "family");
    if (length < 0 || length > family.bits()) {
      throw new IllegalArgumentException("prefix length " + length + " is invalid for " + family);
    }
    if (family == Family.V4 && (high != 0 || (low >>> 32) != 0)) {
      throw new IllegalArgumentException("IPv4 address does not fit in 32 bits");
    }
    if ((high & ~maskHigh(family, length)) != 0 || (low & ~maskLow(family, length)) != 0) {
      throw new IllegalArgumentException("host bits are set beyond /" + length);
    }
  }

  /**
   * Parses an IPv4 or IPv6 literal, optionally followed by {@code /length}.
   *
   * <p>Only literals are accepted: no host names (nothing is ever looked up), no zone indexes, no
   * surrounding whitespace, no octets with leading zeros. A prefix with host bits set, such as
   * {@code 10.1.2.3/8}, is invalid rather than silently widened.
   *
   * @param text untrusted text, may be null
   * @return the prefix, or why the text is not one
   */
  public static TermParse<IpPrefix> parse(String text) {
    return IpLiteralParser.parse(text);
  }

  /** Returns a single-address prefix (/32 or /128) when the bits are those of an address. */
  static IpPrefix address(Family family, long high, long low) {
    return new IpPrefix(family, high, low, family.bits());
  }

  /** Returns the prefix {@code /length} containing the given address, clearing host bits. */
  static IpPrefix network(Family family, long high, long low, int length) {
    return new IpPrefix(
        family, high & maskHigh(family, length), low & maskLow(family, length), length);
  }

  /**
   * Returns the prefix of {@code length} that contains this one, such as {@code 10.0.0.0/8} for
   * {@code 10.1.2.3} and 8.
   *
   * @param length from 0 to this prefix's length
   * @throws IllegalArgumentException when {@code length} is longer than this prefix
   */
  public IpPrefix widen(int length) {
    if (length > this.length) {
      throw new IllegalArgumentException("cannot widen /" + this.length + " to /" + length);
    }
    return network(family, high, low, length);
  }

  /** Returns the last address of this prefix as a single-address prefix. */
  public IpPrefix lastAddress() {
    // For IPv4 the mask of the low bits already covers the unused upper 32, so only host bits flip.
    long lastHigh = family == Family.V4 ? 0 : high | ~maskHigh(family, length);
    return address(family, lastHigh, low | ~maskLow(family, length));
  }

  /** Returns true when this prefix is a single address. */
  public boolean isSingleAddress() {
    return length == family.bits();
  }

  /** Returns true when every address of {@code other} is also in this prefix. */
  public boolean contains(IpPrefix other) {
    return family == other.family
        && length <= other.length
        && (other.high & maskHigh(family, length)) == high
        && (other.low & maskLow(family, length)) == low;
  }

  @Override
  public String kind() {
    return "ip-prefix";
  }

  /** Orders IPv4 before IPv6, then by address as an unsigned number, then shorter first. */
  @Override
  public int compareTo(IpPrefix other) {
    // Written out rather than with Comparator.comparing: this runs millions of times per rule
    // set and must not box the longs.
    int order = family.compareTo(other.family);
    if (order == 0) {
      order = Long.compareUnsigned(high, other.high);
    }
    if (order == 0) {
      order = Long.compareUnsigned(low, other.low);
    }
    return order != 0 ? order : Integer.compare(length, other.length);
  }

  /**
   * Appends the canonical text, as {@link #toString()} returns it, without building a string.
   *
   * @param out where to append, never null
   * @return {@code out}
   */
  public StringBuilder appendTo(StringBuilder out) {
    if (family == Family.V6) {
      return out.append(toString());
    }
    IpText.appendV4(out, low);
    return isSingleAddress() ? out : out.append('/').append(length);
  }

  /** Returns the canonical text, for example {@code 198.51.100.0/24} or {@code 2001:db8::1}. */
  @Override
  public String toString() {
    String address = family == Family.V4 ? IpText.formatV4(low) : IpText.formatV6(high, low);
    return isSingleAddress() ? address : address + "/" + length;
  }

  /** Returns the network mask of the upper 64 bits; IPv4 keeps nothing there. */
  private static long maskHigh(Family family, int length) {
    if (family == Family.V4) {
      return 0;
    }
    return leadingOnes(Math.min(length, 64));
  }

  /** Returns the network mask of the lower 64 bits, where IPv4 sits in the low 32. */
  private static long maskLow(Family family, int length) {
    int bits = family == Family.V4 ? 32 + length : length - 64;
    return leadingOnes(Math.max(bits, 0));
  }

  private static long leadingOnes(int count) {
    return count == 0 ? 0 : -1L << (64 - count);
  }
}
