package io.bulwark.rules.stix.pattern;

/** The boolean connectives that join observation expressions or comparison expressions. */
public enum Connective {
  /** Both operands must hold; binds tighter than {@link #OR}. */
  AND,
  /** Either operand must hold. */
  OR
}
