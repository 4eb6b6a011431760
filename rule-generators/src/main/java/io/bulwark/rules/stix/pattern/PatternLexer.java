package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a pattern into tokens as the STIX 2.1 grammar's lexer does: longest match, keywords
 * case-sensitive, whitespace (including the Unicode spaces the grammar lists) and {@code /* *&#47;}
 * and {@code //} comments skipped. Literal forms are checked here; {@link Literals} holds the
 * rules. Not thread-safe; one instance per pattern.
 */
final class PatternLexer {

  // A char array, not the String: indexing it is much cheaper before the JIT has compiled us,
  // which matters for short-lived runs such as `bulwark stix check-pattern`.
  private final char[] text;
  private final int length;
  private int index;

  private PatternLexer(String text) {
    this.text = text.toCharArray();
    this.length = this.text.length;
  }

  /**
   * Returns the tokens of {@code text}, ending with {@link Kind#END}, or with {@link Kind#ERROR} at
   * the first text that is not a token, so the parser reports the first problem in reading order.
   */
  static List<Token> tokenize(String text) {
    PatternLexer lexer = new PatternLexer(text);
    List<Token> tokens = new ArrayList<>(Math.max(8, text.length() / 4));
    Token token;
    do {
      try {
        token = lexer.next();
      } catch (PatternAbort e) {
        token = new Token(Kind.ERROR, e.getMessage(), e.position());
      }
      tokens.add(token);
    } while (!token.is(Kind.END) && !token.is(Kind.ERROR));
    return tokens;
  }

  /** True when {@code name} can be written as a property step without quotes. */
  static boolean isPlainIdentifier(String name) {
    if (name.isEmpty() || !isIdentifierStart(name.charAt(0)) || Keywords.isReserved(name)) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isIdentifierStart(c) && !isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private Token next() {
    skipSpaceAndComments();
    int start = index;
    if (index >= length) {
      return new Token(Kind.END, "", start);
    }
    char c = text[index];
    if ((c == 't' || c == 'b' || c == 'h') && peek(1) == '\'') {
      return prefixedLiteral(c, start);
    }
    if (isIdentifierStart(c)) {
      index++;
      while (index < length && isIdentifierPart(text[index])) {
        index++;
      }
      return new Token(Kind.IDENTIFIER, new String(text, start, index - start), start);
    }
    if (isDigit(c) || isNumberStart(c)) {
      return number(start);
    }
    if (c == '\'') {
      return new Token(Kind.STRING, readString(), start);
    }
    index++;
    Kind kind =
        switch (c) {
          case '[' -> Kind.LEFT_BRACKET;
          case ']' -> Kind.RIGHT_BRACKET;
          case '(' -> Kind.LEFT_PAREN;
          case ')' -> Kind.RIGHT_PAREN;
          case ':' -> Kind.COLON;
          case '.' -> Kind.DOT;
          case ',' -> Kind.COMMA;
          case '*' -> Kind.STAR;
          case '+', '-', '^', '/' -> Kind.STRAY;
          case '=' -> follow('=', Kind.EQUALS, Kind.EQUALS);
          case '!' -> follow('=', Kind.NOT_EQUALS, null);
          case '<' ->
              peek(0) == '>'
                  ? skipOne(Kind.NOT_EQUALS)
                  : follow('=', Kind.LESS_OR_EQUAL, Kind.LESS);
          case '>' -> follow('=', Kind.GREATER_OR_EQUAL, Kind.GREATER);
          default -> null;
        };
    if (kind == null) {
      throw new PatternAbort(start, "unexpected character " + describe(c));
    }
    return new Token(kind, new String(text, start, index - start), start);
  }

  private Kind follow(char second, Kind withSecond, Kind alone) {
    if (peek(0) == second) {
      index++;
      return withSecond;
    }
    return alone;
  }

  private Kind skipOne(Kind kind) {
    index++;
    return kind;
  }

  private void skipSpaceAndComments() {
    while (index < length) {
      char c = text[index];
      if (isSpace(c)) {
        index++;
      } else if (c == '/' && peek(1) == '*') {
        int end = index + 2;
        while (end + 1 < length && !(text[end] == '*' && text[end + 1] == '/')) {
          end++;
        }
        if (end + 1 >= length) {
          throw new PatternAbort(index, "unterminated comment: expected '*/'");
        }
        index = end + 2;
      } else if (c == '/' && peek(1) == '/') {
        while (index < length && text[index] != '\n' && text[index] != '\r') {
          index++;
        }
      } else {
        return;
      }
    }
  }

  /** Reads {@code t'...'}, {@code b'...'} or {@code h'...'}, checking the form of the content. */
  private Token prefixedLiteral(char prefix, int start) {
    index++;
    String content = readString();
    String problem =
        switch (prefix) {
          case 't' -> Literals.timestampProblem(content);
          case 'b' -> Literals.base64Problem(content);
          default -> Literals.hexProblem(content);
        };
    if (problem != null) {
      throw new PatternAbort(start, problem);
    }
    Kind kind = prefix == 't' ? Kind.TIMESTAMP : prefix == 'b' ? Kind.BINARY : Kind.HEX;
    return new Token(kind, content, start);
  }

  private Token number(int start) {
    if (text[index] == '-' || text[index] == '+') {
      index++;
    }
    int digits = index;
    while (index < length && isDigit(text[index])) {
      index++;
    }
    if (peek(0) == '.' && isDigit(peek(1))) {
      index++;
      while (index < length && isDigit(text[index])) {
        index++;
      }
      return new Token(Kind.FLOAT, new String(text, start, index - start), start);
    }
    if (text[digits] == '0' && index - digits > 1) {
      throw new PatternAbort(start, "integer has a leading zero");
    }
    return new Token(Kind.INTEGER, new String(text, start, index - start), start);
  }

  /** Reads a quoted string starting at the quote and returns its unescaped value. */
  private String readString() {
    int start = index;
    index++;
    StringBuilder value = null;
    int runStart = index;
    while (index < length) {
      char c = text[index];
      if (c == '\'') {
        String result =
            value == null
                ? new String(text, runStart, index - runStart)
                : value.append(text, runStart, index - runStart).toString();
        index++;
        return result;
      }
      if (c == '\\') {
        char escaped = peek(1);
        if (escaped != '\'' && escaped != '\\') {
          throw new PatternAbort(
              index, "invalid escape in a string: only \\' and \\\\ are allowed");
        }
        if (value == null) {
          value = new StringBuilder();
        }
        value.append(text, runStart, index - runStart).append(escaped);
        index += 2;
        runStart = index;
      } else {
        index++;
      }
    }
    throw new PatternAbort(start, "unterminated string: expected a closing quote");
  }

  private boolean isNumberStart(char c) {
    char after = peek(1);
    if (c == '.') {
      return isDigit(after);
    }
    return (c == '-' || c == '+') && (isDigit(after) || (after == '.' && isDigit(peek(2))));
  }

  private char peek(int ahead) {
    int at = index + ahead;
    return at < length ? text[at] : 0;
  }

  private static boolean isSpace(char c) {
    return switch (c) {
      case ' ',
          '\t',
          '\r',
          '\n',
          '\u000B',
          '\u000C',
          '\u0085',
          '\u00a0',
          '\u1680',
          '\u2028',
          '\u2029',
          '\u202f',
          '\u205f',
          '\u3000' ->
          true;
      default -> c >= '\u2000' && c <= '\u200a';
    };
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String describe(char c) {
    return c >= 0x21 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
