package io.bulwark.rules.stix.pattern;

import java.util.Set;

/** The reserved words of the STIX 2.1 patterning grammar; they are case-sensitive. */
final class Keywords {

  private static final Set<String> RESERVED =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "FOLLOWEDBY",
          "LIKE",
          "MATCHES",
          "ISSUPERSET",
          "ISSUBSET",
          "EXISTS",
          "LAST",
          "IN",
          "START",
          "STOP",
          "SECONDS",
          "true",
          "false",
          "WITHIN",
          "REPEATS",
          "TIMES");

  private Keywords() {}

  /** True when {@code word} is a keyword and so cannot be an object type or a bare property. */
  static boolean isReserved(String word) {
    return RESERVED.contains(word);
  }
}
