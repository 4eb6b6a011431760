package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canonical spelling of single nftables statements, so that a rule as the controller wrote it and
 * the same rule as {@code nft list} prints it compare equal.
 *
 * <p>What is tolerated, each seen with nft 1.0.6: whitespace; counter values (printed without
 * {@code -s}); the order of items in anonymous sets and verdict maps (nft sorts them); chain
 * priorities by name or number ({@code -10} is printed as {@code filter - 10}); the default {@code
 * policy accept} nft prints for base chains. Everything else must match as printed.
 */
final class NftStatements {

  /** Standard priority names for the ip, ip6 and inet families. */
  private static final Map<String, Integer> PRIORITIES =
      Map.of(
          "raw", -300, "mangle", -150, "dstnat", -100, "filter", 0, "security", 50, "srcnat", 100);

  private static final Pattern COUNTER_VALUES =
      Pattern.compile("\\bcounter packets [0-9]+ bytes [0-9]+");
  private static final Pattern PRIORITY_TOKEN = Pattern.compile("[a-z]+|[+-]?[0-9]+|[+-]");

  private NftStatements() {}

  /** A rule line in canonical form. */
  static String rule(String rule) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < rule.length()) {
      char c = rule.charAt(i);
      if (c == '"') {
        int end = rule.indexOf('"', i + 1);
        end = end < 0 ? rule.length() : end + 1;
        out.append(rule, i, end);
        i = end;
      } else if (c == '{') {
        int end = matchingBrace(rule, i);
        List<String> items = new ArrayList<>();
        for (String item : splitTopLevel(rule.substring(i + 1, end), ',')) {
          items.add(rule(item));
        }
        items.sort(null);
        out.append("{ ").append(String.join(", ", items)).append(" }");
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return NftScanner.normalise(COUNTER_VALUES.matcher(out).replaceAll("counter"));
  }

  /**
   * A base chain's hook statement ({@code type ... hook ... priority ...}) with the priority as a
   * number and the policy appended ({@code accept} when none was given).
   */
  static String hook(String statement, String policy) {
    String canonical = statement;
    int at = statement.indexOf(" priority ");
    if (at >= 0) {
      String expression = statement.substring(at + " priority ".length());
      Integer value = priority(expression);
      canonical = statement.substring(0, at) + " priority " + (value == null ? expression : value);
    }
    return canonical + " policy " + (policy == null ? "accept" : policy);
  }

  /** Splits at {@code separator} outside strings and braces; items trimmed, empty ones dropped. */
  static List<String> splitTopLevel(String text, char separator) {
    List<String> items = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (!inString && c == '{') {
        depth++;
      } else if (!inString && c == '}') {
        depth--;
      } else if (!inString && depth == 0 && c == separator) {
        addItem(items, current);
        continue;
      }
      current.append(c);
    }
    addItem(items, current);
    return items;
  }

  private static void addItem(List<String> items, StringBuilder current) {
    String item = NftScanner.normalise(current.toString());
    if (!item.isEmpty()) {
      items.add(item);
    }
    current.setLength(0);
  }

  private static int matchingBrace(String text, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (!inString && c == '{') {
        depth++;
      } else if (!inString && c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new NftTextException("unbalanced '{' in '" + text + "'");
  }

  private static Integer priority(String expression) {
    Matcher tokens = PRIORITY_TOKEN.matcher(expression.replace(" ", ""));
    int value = 0;
    int sign = 1;
    int consumed = 0;
    while (tokens.find()) {
      if (tokens.start() != consumed) {
        return null;
      }
      consumed = tokens.end();
      String token = tokens.group();
      if (token.equals("+") || token.equals("-")) {
        sign = token.equals("-") ? -1 : 1;
      } else if (Character.isLetter(token.charAt(0))) {
        Integer named = PRIORITIES.get(token);
        if (named == null) {
          return null;
        }
        value += sign * named;
        sign = 1;
      } else {
        value += sign * Integer.parseInt(token);
        sign = 1;
      }
    }
    return consumed == expression.replace(" ", "").length() && consumed > 0 ? value : null;
  }
}
