package io.bulwark.rules.stix.pattern;

/**
 * One lexical token of a pattern.
 *
 * @param kind what sort of token
 * @param text for identifiers and operators the source text; for strings the unescaped value; for
 *     unsupported literals a description of the literal
 * @param position zero-based index of the token's first character
 */
record Token(Kind kind, String text, int position) {

  enum Kind {
    IDENTIFIER,
    STRING,
    INTEGER,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    LEFT_PAREN,
    RIGHT_PAREN,
    COLON,
    DOT,
    COMMA,
    STAR,
    EQUALS,
    /** {@code !=}, {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}: not supported yet. */
    OTHER_OPERATOR,
    /** Float, timestamp, hex and binary literals: not supported yet. */
    UNSUPPORTED_LITERAL,
    END
  }

  boolean is(Kind expected) {
    return kind == expected;
  }

  /** True for the bare word {@code keyword}; keywords are upper case in STIX patterns. */
  boolean isKeyword(String keyword) {
    return kind == Kind.IDENTIFIER && text.equals(keyword);
  }

  /** Describes the token for an error message: {@code 'AND'}, {@code a string}, ... */
  String describe() {
    return switch (kind) {
      case END -> "end of pattern";
      case STRING -> "a string";
      case UNSUPPORTED_LITERAL -> "a " + text;
      default -> "'" + (text.length() > 32 ? text.substring(0, 32) + "..." : text) + "'";
    };
  }
}
