package io.bulwark.rules.stix.pattern;

import java.util.List;
import java.util.Objects;

/**
 * A constant in a comparison. Strings, integers and sets of them are supported today; floats,
 * booleans, timestamps and binary literals will join.
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
