package io.bulwark.rules.stix.pattern;

/**
 * One lexical token of a pattern.
 *
 * @param kind what sort of token
 * @param text for identifiers, numbers and operators the source text; for strings the unescaped
 *     value; for timestamp, binary and hex literals the characters between the quotes
 * @param position zero-based index of the token's first character
 */
record Token(Kind kind, String text, int position) {

  enum Kind {
    /** A word: keyword, object type, property name, {@code true} or {@code false}. */
    IDENTIFIER,
    STRING,
    INTEGER,
    FLOAT,
    TIMESTAMP,
    BINARY,
    HEX,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    LEFT_PAREN,
    RIGHT_PAREN,
    COLON,
    DOT,
    COMMA,
    STAR,
    /** {@code =} or {@code ==}. */
    EQUALS,
    /** {@code !=} or {@code <>}. */
    NOT_EQUALS,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    /** A character the grammar knows but never uses in a valid pattern: {@code + - ^ /}. */
    STRAY,
    /** Text the lexer could not read; {@code text} says why. Nothing follows it. */
    ERROR,
    END
  }

  boolean is(Kind expected) {
    return kind == expected;
  }

  /** True for the bare word {@code keyword}; keywords are case-sensitive in STIX patterns. */
  boolean isKeyword(String keyword) {
    return kind == Kind.IDENTIFIER && text.equals(keyword);
  }

  /** Describes the token for an error message: {@code 'AND'}, {@code a string}, ... */
  String describe() {
    return switch (kind) {
      case END -> "end of pattern";
      case STRING -> "a string";
      case TIMESTAMP -> "a timestamp";
      case BINARY -> "a binary literal";
      case HEX -> "a hex literal";
      default -> "'" + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "'";
    };
  }
}
