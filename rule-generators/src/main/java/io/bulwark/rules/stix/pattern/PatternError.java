package io.bulwark.rules.stix.pattern;

import java.util.Objects;

/**
 * Why a pattern was refused, and where.
 *
 * @param position zero-based index of the character where the problem starts; the pattern's length
 *     when the pattern ended too early
 * @param message what was expected and what was found, or which construct is not supported yet;
 *     quoted pattern text in it is shortened, never null
 */
public record PatternError(int position, String message) {

  public PatternError {
    Objects.requireNonNull(message, "message");
    if (position < 0) {
      throw new IllegalArgumentException("position " + position + " is negative");
    }
  }

  /** Returns {@code at <position>: <message>}, for example {@code at 14: expected ']'...}. */
  @Override
  public String toString() {
    return "at " + position + ": " + message;
  }
}
