package io.bulwark.rules.stix.pattern;

/**
 * The lexical rules of the prefixed constants: {@code t'...'}, {@code b'...'} and {@code h'...'}.
 * Each check returns null when the content is well formed, else what is wrong.
 */
final class Literals {

  private Literals() {}

  /**
   * Checks the timestamp form the grammar fixes: {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}, month
   * 01-12, day 01-31, hour 00-23, minute 00-59, second 00-60. As in the reference validator the day
   * is not checked against the month's length.
   */
  static String timestampProblem(String s) {
    boolean ok =
        s.length() >= 20
            && digits(s, 0, 4)
            && s.charAt(4) == '-'
            && inRange(s, 5, 1, 12)
            && s.charAt(7) == '-'
            && inRange(s, 8, 1, 31)
            && s.charAt(10) == 'T'
            && inRange(s, 11, 0, 23)
            && s.charAt(13) == ':'
            && inRange(s, 14, 0, 59)
            && s.charAt(16) == ':'
            && inRange(s, 17, 0, 60)
            && s.charAt(s.length() - 1) == 'Z'
            && fractionOk(s);
    return ok
        ? null
        : "invalid timestamp "
            + shorten(s)
            + ": expected t'YYYY-MM-DDTHH:MM:SS[.s]Z' (RFC 3339, UTC)";
  }

  private static boolean fractionOk(String s) {
    int end = s.length() - 1;
    if (end == 19) {
      return true;
    }
    return s.charAt(19) == '.' && end > 20 && digits(s, 20, end - 20);
  }

  /** Checks base64: groups of four of {@code A-Z a-z 0-9 + /}, at least one, {@code =} padded. */
  static String base64Problem(String s) {
    boolean ok = !s.isEmpty() && s.length() % 4 == 0;
    for (int i = 0; ok && i < s.length(); i++) {
      char c = s.charAt(i);
      boolean padding =
          c == '=' && (i == s.length() - 1 || (i == s.length() - 2 && s.charAt(i + 1) == '='));
      ok = isBase64(c) || padding;
    }
    return ok
        ? null
        : "invalid binary literal " + shorten(s) + ": expected base64 in groups of four";
  }

  /** Checks hex: pairs of hex digits, possibly none. */
  static String hexProblem(String s) {
    boolean ok = s.length() % 2 == 0;
    for (int i = 0; ok && i < s.length(); i++) {
      ok = Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80;
    }
    return ok ? null : "invalid hex literal " + shorten(s) + ": expected pairs of hex digits";
  }

  /** Quotes a value for a message: shortened, control and non-ASCII characters escaped. */
  static String shorten(String value) {
    String shown = value.length() > 40 ? value.substring(0, 37) + "..." : value;
    StringBuilder text = new StringBuilder("'");
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      text.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return text.append('\'').toString();
  }

  private static boolean isBase64(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/';
  }

  private static boolean digits(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean inRange(String s, int from, int low, int high) {
    if (!digits(s, from, 2)) {
      return false;
    }
    int value = (s.charAt(from) - '0') * 10 + (s.charAt(from + 1) - '0');
    return value >= low && value <= high;
  }
}
