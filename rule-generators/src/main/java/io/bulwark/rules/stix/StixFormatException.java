package io.bulwark.rules.stix;

import io.bulwark.rules.RulesException;

/**
 * The input as a whole is not a STIX bundle: not JSON, not an object, not of type {@code bundle},
 * truncated, or holding a token too large to buffer. Problems confined to one object of a bundle
 * are not exceptions; they are reported as {@link StixObjectResult.Rejected}.
 */
public final class StixFormatException extends RulesException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /**
   * @param problem what is wrong, without the position
   * @param line the 1-based line where it was found, or -1 when unknown
   * @param column the 1-based column where it was found, or -1 when unknown
   * @param cause the parser's exception, may be null
   */
  public StixFormatException(String problem, int line, int column, Throwable cause) {
    super(line < 0 ? problem : problem + " at line " + line + ", column " + column, cause);
    this.line = line;
    this.column = column;
  }

  /** Returns the 1-based line of the problem, or -1 when unknown. */
  public int line() {
    return line;
  }

  /** Returns the 1-based column of the problem, or -1 when unknown. */
  public int column() {
    return column;
  }
}
