package io.bulwark.agent.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits nftables text into statements and blocks, the way nft's parser sees them: statements end
 * at a newline or {@code ;}, {@code #} starts a comment, strings are double-quoted.
 *
 * <p>Blocks nest two levels (file, table body); inside a set or chain body a brace starts an inline
 * list ({@code elements = { ... }}, an anonymous set) which may span lines. Statement text comes
 * out with runs of whitespace outside strings reduced to one space.
 */
final class NftScanner {

  /** A statement or a block. */
  sealed interface Node permits Statement, Block {
    int line();
  }

  record Statement(String text, int line) implements Node {}

  record Block(String header, int line, List<Node> children) implements Node {}

  private static final int INLINE_BRACES_FROM_DEPTH = 2;

  private final String text;
  private int pos;
  private int line = 1;

  private NftScanner(String text) {
    this.text = text;
  }

  /** The top-level nodes of {@code text}. */
  static List<Node> scan(String text) {
    return new NftScanner(text).body(0, null, 1);
  }

  private List<Node> body(int depth, String header, int openedAt) {
    List<Node> nodes = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int currentLine = line;
    int inline = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (current.length() == 0) {
        currentLine = line;
      }
      switch (c) {
        case '"' -> current.append(quoted());
        case '#' -> skipComment();
        case '\n', ';' -> {
          if (c == '\n') {
            line++;
          }
          if (inline > 0) {
            current.append(c == '\n' ? ' ' : c);
          } else {
            flush(nodes, current, currentLine);
          }
        }
        case '{' -> {
          if (depth < INLINE_BRACES_FROM_DEPTH && inline == 0) {
            String blockHeader = normalise(current.toString());
            if (blockHeader.isEmpty()) {
              throw new NftTextException("line " + line + ": '{' without a name before it");
            }
            current.setLength(0);
            int at = currentLine;
            nodes.add(new Block(blockHeader, at, body(depth + 1, blockHeader, at)));
          } else {
            inline++;
            current.append(c);
          }
        }
        case '}' -> {
          if (inline > 0) {
            inline--;
            current.append(c);
          } else if (depth == 0) {
            throw new NftTextException("line " + line + ": '}' without a matching '{'");
          } else {
            flush(nodes, current, currentLine);
            return nodes;
          }
        }
        default -> {
          if (current.length() > 0 || !Character.isWhitespace(c)) {
            current.append(c);
          }
        }
      }
    }
    if (depth > 0 || inline > 0) {
      String what = header == null ? "a '{'" : "'" + header + " {'";
      throw new NftTextException(what + " opened on line " + openedAt + " is never closed");
    }
    flush(nodes, current, currentLine);
    return nodes;
  }

  private String quoted() {
    int start = pos - 1;
    int end = text.indexOf('"', pos);
    int newline = text.indexOf('\n', pos);
    if (end < 0 || (newline >= 0 && newline < end)) {
      throw new NftTextException("line " + line + ": unterminated string");
    }
    pos = end + 1;
    return text.substring(start, pos);
  }

  private void skipComment() {
    while (pos < text.length() && text.charAt(pos) != '\n') {
      pos++;
    }
  }

  private static void flush(List<Node> nodes, StringBuilder current, int line) {
    String statement = normalise(current.toString());
    if (!statement.isEmpty()) {
      nodes.add(new Statement(statement, line));
    }
    current.setLength(0);
  }

  /** Collapses whitespace outside double-quoted strings and trims. */
  static String normalise(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean inString = false;
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!inString && Character.isWhitespace(c)) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (c == '"') {
        inString = !inString;
      }
      out.append(c);
    }
    return out.toString();
  }
}
