package io.bulwark.rules.term;

/**
 * Renders addresses as canonical text. Package-private: callers use {@link IpPrefix#toString()}.
 */
final class IpText {

  private IpText() {}

  /** Appends the dotted decimal of the low 32 bits of {@code bits}. */
  static void appendV4(StringBuilder out, long bits) {
    out.append((bits >>> 24) & 0xFF).append('.').append((bits >>> 16) & 0xFF).append('.');
    out.append((bits >>> 8) & 0xFF).append('.').append(bits & 0xFF);
  }

  /** Dotted decimal of the low 32 bits of {@code bits}. */
  static String formatV4(long bits) {
    return ((bits >>> 24) & 0xFF)
        + "."
        + ((bits >>> 16) & 0xFF)
        + "."
        + ((bits >>> 8) & 0xFF)
        + "."
        + (bits & 0xFF);
  }

  /**
   * RFC 5952 text of an IPv6 address, following glibc's {@code inet_ntop} so that it matches what
   * {@code nft} prints: the longest run of two or more zero groups (the first on a tie) becomes
   * {@code ::}, and addresses of the forms {@code ::ffff:a.b.c.d} and {@code ::a.b.c.d} (six
   * leading zero groups and a non-zero seventh) keep a dotted IPv4 tail.
   */
  static String formatV6(long high, long low) {
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
      groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && groups[i] == 0) {
        i++;
      }
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    if (bestLength < 2) {
      bestStart = -1;
    }
    boolean dottedTail =
        bestStart == 0 && (bestLength == 6 || (bestLength == 5 && groups[5] == 0xFFFF));
    StringBuilder text = new StringBuilder(40);
    for (int i = 0; i < 8; i++) {
      if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
        if (i == bestStart) {
          text.append(':');
        }
        continue;
      }
      if (i != 0) {
        text.append(':');
      }
      if (i == 6 && dottedTail) {
        text.append(formatV4(low & 0xFFFF_FFFFL));
        return text.toString();
      }
      text.append(Integer.toHexString(groups[i]));
    }
    if (bestStart >= 0 && bestStart + bestLength == 8) {
      text.append(':');
    }
    return text.toString();
  }
}
