package io.bulwark.agent.apply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a rule set that the controller sends as one text.
 *
 * <p>A target that writes several files sends each in application order, preceded by a line {@code
 * ==> name <==}; a target that writes one file sends just its content. This is the form the rule
 * generators give (their {@code Rules.text()}), so it is also what the bundle's digest covers. Names
 * are plain: lowercase letters, digits, {@code .}, {@code _} and {@code -}, at most 100 characters,
 * so no name can point outside the directory it is written to. Pure and thread-safe.
 */
public final class RuleFiles {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final Pattern HEADER = Pattern.compile("==> ([^\\n]*) <==\\n");

  private RuleFiles() {}

  /** Returns true when {@code name} is a plain file name as described above. */
  public static boolean isPlainName(String name) {
    return NAME.matcher(name).matches() && !name.equals(".") && !name.contains("..");
  }

  /**
   * Splits {@code text} into its files.
   *
   * @return name to content in order, or empty when {@code text} does not start with a header (a
   *     single-file rule set, whose name the caller knows)
   * @throws IllegalArgumentException naming the problem when a header's name is not plain or a name
   *     appears twice
   */
  public static Optional<Map<String, String>> split(String text) {
    if (!text.startsWith("==> ")) {
      return Optional.empty();
    }
    Map<String, String> files = new LinkedHashMap<>();
    Matcher header = HEADER.matcher(text);
    int position = 0;
    String name = null;
    int contentStart = 0;
    // Headers only count at the start of a line: content lines never start with "==> " in any
    // generator's output, and a header inside content would have to begin a line to be seen here.
    while (header.find(position)) {
      if (header.start() != 0 && text.charAt(header.start() - 1) != '\n') {
        position = header.end();
        continue;
      }
      if (name != null) {
        put(files, name, text.substring(contentStart, header.start()));
      } else if (header.start() != 0) {
        throw new IllegalArgumentException("text before the first file header");
      }
      name = header.group(1);
      if (!isPlainName(name)) {
        throw new IllegalArgumentException("not a plain file name: '" + printable(name) + "'");
      }
      contentStart = header.end();
      position = header.end();
    }
    if (name == null) {
      throw new IllegalArgumentException("a file header must end with ' <==' and a newline");
    }
    put(files, name, text.substring(contentStart));
    return Optional.of(Collections.unmodifiableMap(files));
  }

  /** Joins files into the text {@link #split} reads, always with headers (even for one file). */
  public static String join(Map<String, String> files) {
    StringBuilder text = new StringBuilder();
    files.forEach((name, content) -> text.append("==> ").append(name).append(" <==\n").append(content));
    return text.toString();
  }

  private static void put(Map<String, String> files, String name, String content) {
    if (files.put(name, content) != null) {
      throw new IllegalArgumentException("file " + name + " appears twice");
    }
  }

  /** At most 60 characters, control characters shown as '?', for error messages. */
  static String printable(String text) {
    String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
