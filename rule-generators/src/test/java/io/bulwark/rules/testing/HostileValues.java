package io.bulwark.rules.testing;

import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Feed values built to break out of a rule statement: valid addresses with newlines, statement
 * separators, quotes, pipes, backticks, {@code $()}, braces, NUL, Unicode look-alikes and line
 * separators spliced in, plus random strings from the same alphabet and very long ones. The list is
 * the same on every call (fixed seed), so a failure names a reproducible value.
 */
public final class HostileValues {

  private static final String[] BASES = {
    "192.0.2.1", "198.51.100.0/24", "2001:db8::1", "2001:db8::/32", "::ffff:192.0.2.9", "10.0.0.0/8"
  };

  private static final String[] INJECTIONS = {
    "\n",
    "\r\n",
    "\r",
    ";",
    "'",
    "''",
    "\"",
    "|",
    "`",
    "$(",
    "$(whoami)",
    ")",
    "{",
    "}",
    "\u0000",
    "\u2028",
    "\u0085",
    "\uff0e",
    "\u0660",
    "\u2215",
    " ",
    "\t",
    "#",
    "!",
    "&&",
    "\\",
    "/33",
    "\nexit\nno ip access-list extended BULWARK-IN",
    "\ndelete firewall",
    "'; Remove-NetFirewallRule",
    "\u202e",
    "\ufeff",
    "1",
    "0",
    ":",
    "::"
  };

  private static final String ALPHABET =
      "0123456789abcdef.:/ \n\r\t;'\"|`$(){}\\#!&\u0000\u2028\uff0e\u0660";

  private HostileValues() {}

  /** Returns the hostile values; most are not IP literals, a few are on purpose. */
  public static List<String> all() {
    List<String> values = new ArrayList<>();
    for (String base : BASES) {
      values.add(base);
      for (String injection : INJECTIONS) {
        values.add(base + injection);
        values.add(injection + base);
        int middle = base.length() / 2;
        values.add(base.substring(0, middle) + injection + base.substring(middle));
      }
    }
    Random random = new Random(20170512);
    for (int i = 0; i < 500; i++) {
      int length = 1 + random.nextInt(48);
      StringBuilder value = new StringBuilder(length);
      for (int j = 0; j < length; j++) {
        value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      values.add(value.toString());
    }
    values.add("1".repeat(100_000));
    values.add("192.0.2.1" + "\n".repeat(10_000));
    return values;
  }

  /** Returns port numbers as read from a feed, mostly out of range. */
  public static long[] ports() {
    return new long[] {
      -1, 0, 1, 22, 65535, 65536, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE
    };
  }

  /**
   * Puts {@code value} into the pattern {@code [network-traffic:dst_ref.value = '...']}, escaped as
   * STIX requires, and returns the terms the real parser and extractor make of it: none when the
   * pattern or the value is rejected (which must then be reported as unenforceable).
   */
  public static List<Term> throughPattern(String value) {
    String escaped = value.replace("\\", "\\\\").replace("'", "\\'");
    PatternResult parsed =
        PatternParser.parse("[network-traffic:dst_ref.value = '" + escaped + "']");
    if (!(parsed instanceof PatternResult.Parsed ok)) {
      return List.of();
    }
    Extraction extraction = TermExtractor.extract(ok.pattern());
    if (extraction.terms().isEmpty() && extraction.unenforceable().isEmpty()) {
      throw new AssertionError("a value vanished without a report: " + value);
    }
    return extraction.terms();
  }
}
