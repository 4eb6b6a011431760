package io.bulwark.rules.stix.pattern;

/**
 * Checks the text of an IPv4 address or CIDR: four decimal octets 0-255 without leading zeros,
 * optionally {@code /0} to {@code /32}. Host bits under the prefix are allowed, as STIX producers
 * write them and the reference validator accepts them.
 */
final class Ipv4Syntax {

  private Ipv4Syntax() {}

  /** Returns null when {@code text} is valid, else what is wrong. */
  static String problem(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    String reason = addressProblem(address);
    if (reason == null && slash >= 0) {
      String prefix = text.substring(slash + 1);
      int length = decimal(prefix, 2);
      if (length < 0 || length > 32) {
        reason = "the prefix length must be 0 to 32";
      }
    }
    return reason == null
        ? null
        : Literals.shorten(text) + " is not a valid IPv4 address or CIDR: " + reason;
  }

  private static String addressProblem(String address) {
    int start = 0;
    for (int octet = 0; octet < 4; octet++) {
      int end = address.indexOf('.', start);
      if (end < 0) {
        end = address.length();
      }
      if ((octet < 3) == (end == address.length())) {
        return "expected four octets separated by '.'";
      }
      int value = decimal(address.substring(start, end), 3);
      if (value < 0 || value > 255) {
        return "each octet must be a number from 0 to 255 without leading zeros";
      }
      start = end + 1;
    }
    return null;
  }

  /** Parses up to {@code maxDigits} decimal digits without a leading zero; -1 when malformed. */
  private static int decimal(String digits, int maxDigits) {
    if (digits.isEmpty()
        || digits.length() > maxDigits
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
