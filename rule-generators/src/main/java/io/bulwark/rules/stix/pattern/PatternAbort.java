package io.bulwark.rules.stix.pattern;

/**
 * Unwinds lexer and parser at the first error. Never leaves this package: {@link PatternParser}
 * turns it into a {@link PatternError} value.
 */
final class PatternAbort extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int position;

  PatternAbort(int position, String message) {
    super(message, null, false, false);
    this.position = position;
  }

  int position() {
    return position;
  }

  PatternError toError() {
    return new PatternError(position, getMessage());
  }
}
