package io.bulwark.rules.stix.pattern;

/**
 * The connectives that join observation expressions or comparison expressions, in order of
 * precedence: {@link #AND} binds tightest, {@link #FOLLOWEDBY} loosest. All are left-associative.
 */
public enum Connective {
  /** Both operands must hold; binds tighter than {@link #OR}. */
  AND,
  /** Either operand must hold. */
  OR,
  /** Both observations must occur, the left one first; joins observations only. */
  FOLLOWEDBY
}
