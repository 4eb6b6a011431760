package io.bulwark.rules.stix.pattern;

import java.util.List;
import java.util.Objects;

/**
 * A path to a property of a cyber-observable object, such as {@code network-traffic:dst_port} or
 * {@code file:hashes.'SHA-256'}.
 *
 * <p>{@link #toString()} is canonical: a property that is a plain identifier is printed without
 * quotes whether or not it was quoted in the source, so two spellings of one path print alike.
 *
 * @param objectType the object type before the colon, such as {@code ipv4-addr}, never null
 * @param steps the property steps after the colon; the first is always a {@link Property}
 */
public record ObjectPath(String objectType, List<Step> steps) {

  /** One step of a path. */
  public sealed interface Step {}

  /**
   * A named property, written {@code .name} or {@code .'quoted name'} after the first step.
   *
   * @param name the property name, never null
   */
  public record Property(String name) implements Step {
    public Property {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A list index, {@code [n]}.
   *
   * @param index the zero-based index; the grammar also admits negative indexes, whose meaning STIX
   *     leaves open, so consumers should treat them as unsupported
   */
  public record Index(int index) implements Step {}

  /** Any element of a list, {@code [*]}. */
  public record AnyIndex() implements Step {}

  public ObjectPath {
    Objects.requireNonNull(objectType, "objectType");
    steps = List.copyOf(steps);
    if (steps.isEmpty() || !(steps.get(0) instanceof Property)) {
      throw new IllegalArgumentException("a path starts with a property");
    }
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(objectType).append(':');
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step instanceof Property property) {
        text.append(i == 0 ? "" : ".").append(propertyText(property.name()));
      } else if (step instanceof Index index) {
        text.append('[').append(index.index()).append(']');
      } else {
        text.append("[*]");
      }
    }
    return text.toString();
  }

  private static String propertyText(String name) {
    return PatternLexer.isPlainIdentifier(name) ? name : Literal.StringLiteral.quote(name);
  }
}
