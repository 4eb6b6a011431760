package io.bulwark.controller.correlate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders feed values so that a person can read but not click or paste them into a resolver:
 * {@code http://} becomes {@code hxxp://}, the last dot of every dotted name or address becomes
 * {@code [.]} ({@code 198.51.100[.]7}, {@code www.evil[.]example}), and control and bidirectional-override
 * characters are escaped as {@code \\uXXXX}. {@link #refang} undoes the first two for search terms.
 */
public final class Defang {
  private static final Pattern SCHEME = Pattern.compile("(?i)\\b(h)(tt)(ps?)(://|\\[:\\]//)");
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)++(?!\\[\\.\\])");
  private static final Pattern FANGED_SCHEME = Pattern.compile("(?i)\\bh(xx|XX)(ps?)://");

  private Defang() {}

  /** The defanged, escaped text; null becomes the empty string. */
  public static String text(String value) {
    if (value == null) {
      return "";
    }
    Matcher m = SCHEME.matcher(value);
    String schemes = m.replaceAll(r -> r.group(1) + (r.group(2).equals("TT") ? "XX" : "xx") + r.group(3) + "://");
    String dotted = DOTTED.matcher(schemes).replaceAll(r -> {
      String name = r.group();
      int last = name.lastIndexOf('.');
      return Matcher.quoteReplacement(name.substring(0, last) + "[.]" + name.substring(last + 1));
    });
    StringBuilder out = new StringBuilder(dotted.length() + 16);
    for (int i = 0; i < dotted.length(); i++) {
      char c = dotted.charAt(i);
      if (Character.isISOControl(c) || isBidiControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A search term as typed, possibly defanged, back in plain form: {@code [.]} and {@code hxxp}. */
  public static String refang(String term) {
    String dots = term.strip().replace("[.]", ".").replace("(.)", ".").replace("[:]", ":");
    return FANGED_SCHEME.matcher(dots).replaceAll(r -> "htt" + r.group(2) + "://");
  }

  private static boolean isBidiControl(char c) {
    return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e' || c == '\u200f' || c == '\u061c';
  }
}
