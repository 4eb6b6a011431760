package io.bulwark.rules.stix.pattern;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A qualifier after an observation expression: {@code WITHIN}, {@code REPEATS} or {@code START ...
 * STOP}. See {@link ObservationExpression.Qualified}.
 */
public sealed interface Qualifier {

  /** Returns the qualifier's name as the reference validator reports duplicates of it. */
  String typeName();

  /**
   * {@code WITHIN n SECONDS}: the observations fall in a window of this length.
   *
   * @param seconds the window, not negative, never null; an integer or a decimal as written
   */
  record Within(BigDecimal seconds) implements Qualifier {
    public Within {
      Objects.requireNonNull(seconds, "seconds");
      if (seconds.signum() < 0) {
        throw new IllegalArgumentException("WITHIN takes a non-negative number");
      }
      if (seconds.scale() < 0) {
        seconds = seconds.setScale(0);
      }
    }

    @Override
    public String typeName() {
      return "WITHIN";
    }

    @Override
    public String toString() {
      return "WITHIN " + seconds.toPlainString() + " SECONDS";
    }
  }

  /**
   * {@code REPEATS n TIMES}: the expression matches this many times.
   *
   * @param times how often, not negative
   */
  record Repeats(long times) implements Qualifier {
    public Repeats {
      if (times < 0) {
        throw new IllegalArgumentException("REPEATS takes a non-negative integer");
      }
    }

    @Override
    public String typeName() {
      return "REPEATS";
    }

    @Override
    public String toString() {
      return "REPEATS " + times + " TIMES";
    }
  }

  /**
   * {@code START t'...' STOP t'...'}: the observations fall between two times.
   *
   * @param start the first time, never null
   * @param stop the end, after {@code start}, never null
   */
  record StartStop(Literal.TimestampLiteral start, Literal.TimestampLiteral stop)
      implements Qualifier {
    public StartStop {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(stop, "stop");
      if (start.compareTime(stop) >= 0) {
        throw new IllegalArgumentException("START must be before STOP");
      }
    }

    @Override
    public String typeName() {
      return "STARTSTOP";
    }

    @Override
    public String toString() {
      return "START " + start + " STOP " + stop;
    }
  }
}
