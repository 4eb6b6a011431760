package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.ComparisonExpression.Comparison;
import io.bulwark.rules.stix.pattern.ComparisonExpression.Operator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The value checks the reference validator applies beyond the grammar, plus IPv4 syntax: a string
 * compared with {@code ...hashes.<algorithm>} must have the algorithm's form, and one compared with
 * {@code ipv4-addr:value} must be an IPv4 address or CIDR. Only equality, inequality and set
 * membership are checked for hashes (LIKE and MATCHES hold patterns, not values); ISSUBSET and
 * ISSUPERSET are checked for addresses too.
 */
final class ValueChecks {

  /** Algorithm (upper case, hyphens removed) to the hex lengths allowed; SSDEEP is separate. */
  private static final Map<String, int[]> HEX_LENGTHS =
      Map.ofEntries(
          Map.entry("MD5", new int[] {32}),
          Map.entry("MD6", new int[] {32, 40, 56, 64, 96, 128}),
          Map.entry("RIPEMD160", new int[] {40}),
          Map.entry("SHA1", new int[] {40}),
          Map.entry("SHA224", new int[] {56}),
          Map.entry("SHA256", new int[] {64}),
          Map.entry("SHA384", new int[] {96}),
          Map.entry("SHA512", new int[] {128}),
          Map.entry("SHA3224", new int[] {56}),
          Map.entry("SHA3256", new int[] {64}),
          Map.entry("SHA3384", new int[] {96}),
          Map.entry("SHA3512", new int[] {128}),
          Map.entry("WHIRLPOOL", new int[] {128}));

  private ValueChecks() {}

  /** Checks {@code comparison}; a problem is reported at {@code position}, the value's start. */
  static void check(Comparison comparison, int position) {
    Operator operator = comparison.operator();
    List<Literal> values =
        comparison.value() instanceof Literal.SetLiteral set
            ? set.elements()
            : List.of(comparison.value());
    String algorithm = hashAlgorithm(comparison.path());
    boolean ipv4 = isIpv4Value(comparison.path());
    if (algorithm == null && !ipv4) {
      return;
    }
    for (Literal value : values) {
      if (!(value instanceof Literal.StringLiteral string)) {
        continue;
      }
      String problem = null;
      if (algorithm != null
          && (operator == Operator.EQUAL
              || operator == Operator.NOT_EQUAL
              || operator == Operator.IN)) {
        problem = hashProblem(algorithm, string.value());
      }
      if (problem == null
          && ipv4
          && !operator.isOrdering()
          && operator != Operator.LIKE
          && operator != Operator.MATCHES) {
        problem = Ipv4Syntax.problem(string.value());
      }
      if (problem != null) {
        throw new PatternAbort(position, problem);
      }
    }
  }

  /**
   * The last step's name when the path goes through {@code hashes} and ends in a key, else null.
   */
  private static String hashAlgorithm(ObjectPath path) {
    List<ObjectPath.Step> steps = path.steps();
    if (!(steps.get(steps.size() - 1) instanceof ObjectPath.Property last)) {
      return null;
    }
    for (int i = 0; i < steps.size() - 1; i++) {
      if (steps.get(i) instanceof ObjectPath.Property p && p.name().equals("hashes")) {
        return last.name();
      }
    }
    return null;
  }

  private static boolean isIpv4Value(ObjectPath path) {
    return path.objectType().equals("ipv4-addr")
        && path.steps().size() == 1
        && path.steps().get(0).equals(new ObjectPath.Property("value"));
  }

  private static String hashProblem(String algorithm, String value) {
    String key = algorithm.toUpperCase(Locale.ROOT).replace("-", "");
    if (key.equals("SSDEEP")) {
      boolean ok = !value.isEmpty() && value.length() <= 128;
      for (int i = 0; ok && i < value.length(); i++) {
        char c = value.charAt(i);
        ok =
            Character.isLetterOrDigit(c) && c < 0x80
                || c == '/'
                || c == '+'
                || c == ':'
                || c == '.';
      }
      return ok ? null : Literals.shorten(value) + " is not a valid " + algorithm + " hash";
    }
    int[] lengths = HEX_LENGTHS.get(key);
    if (lengths == null) {
      return null;
    }
    boolean hex = true;
    for (int i = 0; hex && i < value.length(); i++) {
      hex = Character.digit(value.charAt(i), 16) >= 0 && value.charAt(i) < 0x80;
    }
    for (int length : lengths) {
      if (hex && value.length() == length) {
        return null;
      }
    }
    String expected =
        lengths.length == 1 ? String.valueOf(lengths[0]) : "32, 40, 56, 64, 96 or 128";
    return Literals.shorten(value)
        + " is not a valid "
        + algorithm
        + " hash: expected "
        + expected
        + " hex digits";
  }
}
