package io.bulwark.rules.junos;

import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict checker of the Junos commands Bulwark emits, written from Juniper's documented syntax of
 * {@code policy-options prefix-list}, {@code firewall family inet|inet6 filter} terms (match
 * conditions {@code source-prefix-list}, {@code destination-prefix-list}, {@code protocol}, {@code
 * next-header}, {@code destination-port}; actions {@code discard}, {@code syslog}, {@code accept})
 * and the configuration commands {@code set}, {@code delete} and {@code insert}. Every line must be
 * one of these forms with every value checked: prefixes canonical with no host bits, families
 * matching their lists, ports 1 to 65535. Anything else is rejected with its line number.
 */
final class JunosGrammar {

  private static final String ID = "[1-9][0-9]{0,18}";
  private static final String TERM = "(?:cm" + ID + "-(?:src|dst|tcp|udp)|accept-all)";
  private static final String FILTER = "firewall family (inet|inet6) filter bulwark-in term ";
  private static final Pattern PREFIX_LIST =
      Pattern.compile(
          "(set|delete) policy-options prefix-list bulwark-cm"
              + ID
              + "-(v4|v6)(?: ([0-9a-f.:]+)/"
              + "([0-9]{1,3}))?");
  private static final Pattern TERM_LINE =
      Pattern.compile("(set|delete) " + FILTER + TERM + "(?: (.+))?");
  private static final Pattern INSERT =
      Pattern.compile("insert " + FILTER + TERM + " before term " + TERM);
  private static final Pattern STATEMENT =
      Pattern.compile(
          "from (source|destination)-prefix-list bulwark-cm"
              + ID
              + "-(v4|v6)"
              + "|from (protocol|next-header) (?:tcp|udp)"
              + "|from destination-port ([1-9][0-9]{0,4})"
              + "|then (?:discard|syslog|accept)");

  private JunosGrammar() {}

  /**
   * Checks {@code text} and returns its number of statements (lines).
   *
   * @throws AssertionError naming the first line that is not an accepted statement
   */
  static int check(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    if (!text.endsWith("\n")) {
      throw new AssertionError("text does not end with a newline");
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      try {
        line(lines[i]);
      } catch (IllegalArgumentException e) {
        throw new AssertionError("line " + (i + 1) + " '" + lines[i] + "': " + e.getMessage());
      }
    }
    return lines.length - 1;
  }

  private static void line(String line) {
    Matcher list = PREFIX_LIST.matcher(line);
    if (list.matches()) {
      if (list.group(3) != null) {
        prefix(list.group(3) + "/" + list.group(4), list.group(2).equals("v4"));
      } else {
        require(list.group(1).equals("delete"), "set of a prefix list without a prefix");
      }
      return;
    }
    if (INSERT.matcher(line).matches()) {
      return;
    }
    Matcher term = TERM_LINE.matcher(line);
    require(term.matches(), "not an accepted command");
    if (term.group(3) == null) {
      require(term.group(1).equals("delete"), "set of a term without a statement");
      return;
    }
    Matcher statement = STATEMENT.matcher(term.group(3));
    require(statement.matches(), "not an accepted term statement");
    boolean inet = term.group(2).equals("inet");
    if (statement.group(2) != null) {
      require(statement.group(2).equals(inet ? "v4" : "v6"), "list of the other family");
    }
    if (statement.group(3) != null) {
      require(statement.group(3).equals(inet ? "protocol" : "next-header"), "wrong protocol match");
    }
    if (statement.group(4) != null) {
      require(Integer.parseInt(statement.group(4)) <= 65535, "port out of range");
    }
  }

  private static void prefix(String text, boolean v4) {
    TermParse<IpPrefix> parsed = IpPrefix.parse(text);
    require(parsed instanceof TermParse.Valid<IpPrefix>, "not a prefix: " + parsed);
    IpPrefix prefix = ((TermParse.Valid<IpPrefix>) parsed).term();
    require(prefix.family() == (v4 ? IpPrefix.Family.V4 : IpPrefix.Family.V6), "wrong family");
    require(JunosPlan.spell(prefix).equals(text), "not canonical: " + text);
    require(v4 || text.indexOf('.') < 0, "IPv6 with a dotted tail");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
