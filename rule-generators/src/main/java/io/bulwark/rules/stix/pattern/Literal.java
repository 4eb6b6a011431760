package io.bulwark.rules.stix.pattern;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A constant in a comparison: every constant form of the STIX 2.1 grammar. Each record's {@code
 * toString()} is the constant in canonical pattern syntax, which parses back to an equal record.
 *
 * <p>The hierarchy is complete for STIX 2.1, but code that walks it should still treat a literal it
 * does not know as something it cannot handle.
 */
public sealed interface Literal {

  /**
   * A string constant, held unescaped.
   *
   * @param value the characters between the quotes, with escapes resolved, never null
   */
  record StringLiteral(String value) implements Literal {
    public StringLiteral {
      Objects.requireNonNull(value, "value");
    }

    /** Returns the value quoted for a pattern, escaping {@code '} and {@code \}. */
    @Override
    public String toString() {
      return quote(value);
    }

    static String quote(String value) {
      return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
  }

  /**
   * An integer constant.
   *
   * @param value the number
   */
  record IntegerLiteral(long value) implements Literal {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /**
   * A floating-point constant, such as {@code 7.0} or {@code -.5}.
   *
   * @param value the number, finite
   */
  record FloatLiteral(double value) implements Literal {
    public FloatLiteral {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("a float literal is finite");
      }
    }

    /** Returns the number in plain decimal notation, always with a point: {@code 7.0}. */
    @Override
    public String toString() {
      String plain =
          new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros().toPlainString();
      if (plain.indexOf('.') < 0) {
        plain += ".0";
      }
      return (value < 0 || 1 / value < 0 ? "-" : "") + plain;
    }
  }

  /**
   * {@code true} or {@code false}.
   *
   * @param value the truth value
   */
  record BooleanLiteral(boolean value) implements Literal {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /**
   * A timestamp constant, {@code t'2016-01-01T00:00:00Z'}.
   *
   * <p>The value is kept as written: the grammar checks each field's range but, like the reference
   * validator, not the day against the month, so {@code t'2024-02-30T00:00:00Z'} is a valid
   * constant that names no instant.
   *
   * @param value the characters between the quotes, in the grammar's form, never null
   */
  record TimestampLiteral(String value) implements Literal {
    public TimestampLiteral {
      Objects.requireNonNull(value, "value");
      String problem = Literals.timestampProblem(value);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }

    /** Returns the instant, or empty for a day the month does not have or a leap second. */
    public Optional<Instant> instant() {
      try {
        return Optional.of(Instant.parse(value));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }

    /** Compares two timestamps by the time they name, field by field; fractions are decimal. */
    int compareTime(TimestampLiteral other) {
      int head = value.substring(0, 19).compareTo(other.value.substring(0, 19));
      if (head != 0) {
        return head;
      }
      return fraction(value).compareTo(fraction(other.value));
    }

    private static BigDecimal fraction(String value) {
      return value.length() == 20
          ? BigDecimal.ZERO
          : new BigDecimal("0" + value.substring(19, value.length() - 1));
    }

    @Override
    public String toString() {
      return "t'" + value + "'";
    }
  }

  /**
   * A binary constant in base64, {@code b'dGVzdA=='}.
   *
   * @param base64 the base64 text as written, never null
   */
  record BinaryLiteral(String base64) implements Literal {
    public BinaryLiteral {
      Objects.requireNonNull(base64, "base64");
      String problem = Literals.base64Problem(base64);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }

    /** Returns the decoded bytes, a fresh array each call. */
    public byte[] bytes() {
      return Base64.getDecoder().decode(base64);
    }

    @Override
    public String toString() {
      return "b'" + base64 + "'";
    }
  }

  /**
   * A binary constant in hex, {@code h'ffd8'}.
   *
   * @param hex the hex digits in lower case, an even number of them, never null
   */
  record HexLiteral(String hex) implements Literal {
    public HexLiteral {
      Objects.requireNonNull(hex, "hex");
      String problem = Literals.hexProblem(hex);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      hex = hex.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return "h'" + hex + "'";
    }
  }

  /**
   * The parenthesised list on the right of {@code IN}.
   *
   * @param elements the listed constants, possibly empty, none of them a set
   */
  record SetLiteral(List<Literal> elements) implements Literal {
    public SetLiteral {
      elements = List.copyOf(elements);
      for (Literal element : elements) {
        if (element instanceof SetLiteral) {
          throw new IllegalArgumentException("sets do not nest");
        }
      }
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("(");
      for (int i = 0; i < elements.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(elements.get(i));
      }
      return text.append(')').toString();
    }
  }
}
