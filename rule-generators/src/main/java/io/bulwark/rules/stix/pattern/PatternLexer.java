package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits a pattern into tokens. Not thread-safe; one instance per pattern. */
final class PatternLexer {

  private final String text;
  private int index;

  private PatternLexer(String text) {
    this.text = text;
  }

  /** Returns the tokens of {@code text}, ending with {@link Kind#END}. */
  static List<Token> tokenize(String text) {
    PatternLexer lexer = new PatternLexer(text);
    List<Token> tokens = new ArrayList<>();
    Token token;
    do {
      token = lexer.next();
      tokens.add(token);
    } while (!token.is(Kind.END));
    return tokens;
  }

  /** True when {@code name} can be written as a property step without quotes. */
  static boolean isPlainIdentifier(String name) {
    if (name.isEmpty() || !isIdentifierStart(name.charAt(0))) {
      return false;
    }
    return name.chars().allMatch(c -> isIdentifierStart(c) || (c >= '0' && c <= '9'));
  }

  private Token next() {
    while (index < text.length() && " \t\r\n".indexOf(text.charAt(index)) >= 0) {
      index++;
    }
    int start = index;
    if (index >= text.length()) {
      return new Token(Kind.END, "", start);
    }
    char c = text.charAt(index);
    if ("tbh".indexOf(c) >= 0 && peek(1) == '\'') {
      index++;
      readString();
      String what = c == 't' ? "timestamp" : c == 'b' ? "binary" : "hex";
      return new Token(Kind.UNSUPPORTED_LITERAL, what + " literal", start);
    }
    if (isIdentifierStart(c)) {
      while (index < text.length() && isIdentifierPart(text.charAt(index))) {
        index++;
      }
      return new Token(Kind.IDENTIFIER, text.substring(start, index), start);
    }
    if (isDigit(c) || ((c == '-' || c == '+') && isDigit(peek(1)))) {
      return readNumber(start);
    }
    if (c == '\'') {
      return new Token(Kind.STRING, readString(), start);
    }
    Kind single =
        switch (c) {
          case '[' -> Kind.LEFT_BRACKET;
          case ']' -> Kind.RIGHT_BRACKET;
          case '(' -> Kind.LEFT_PAREN;
          case ')' -> Kind.RIGHT_PAREN;
          case ':' -> Kind.COLON;
          case '.' -> Kind.DOT;
          case ',' -> Kind.COMMA;
          case '*' -> Kind.STAR;
          case '=' -> Kind.EQUALS;
          default -> null;
        };
    if (single != null) {
      index++;
      return new Token(single, String.valueOf(c), start);
    }
    if (c == '<' || c == '>' || (c == '!' && peek(1) == '=')) {
      index++;
      if (peek(0) == '=' || (c == '<' && peek(0) == '>')) {
        index++;
      }
      return new Token(Kind.OTHER_OPERATOR, text.substring(start, index), start);
    }
    throw new PatternAbort(start, "unexpected character " + describe(c));
  }

  private Token readNumber(int start) {
    if (text.charAt(index) == '-' || text.charAt(index) == '+') {
      index++;
    }
    int digits = index;
    while (index < text.length() && isDigit(text.charAt(index))) {
      index++;
    }
    if (peek(0) == '.' && isDigit(peek(1))) {
      index++;
      while (index < text.length() && isDigit(text.charAt(index))) {
        index++;
      }
      return new Token(Kind.UNSUPPORTED_LITERAL, "float literal", start);
    }
    if (text.charAt(digits) == '0' && index - digits > 1) {
      throw new PatternAbort(start, "integer has a leading zero");
    }
    return new Token(Kind.INTEGER, text.substring(start, index), start);
  }

  /** Reads a quoted string starting at the quote and returns its unescaped value. */
  private String readString() {
    int start = index;
    index++;
    StringBuilder value = new StringBuilder();
    while (index < text.length()) {
      char c = text.charAt(index++);
      if (c == '\'') {
        return value.toString();
      }
      if (c == '\\') {
        char escaped = index < text.length() ? text.charAt(index) : 0;
        if (escaped != '\'' && escaped != '\\') {
          throw new PatternAbort(index - 1, "invalid escape; only \\' and \\\\ are allowed");
        }
        index++;
        c = escaped;
      }
      value.append(c);
    }
    throw new PatternAbort(start, "unterminated string");
  }

  private char peek(int ahead) {
    int at = index + ahead;
    return at < text.length() ? text.charAt(at) : 0;
  }

  private static boolean isIdentifierStart(int c) {
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
