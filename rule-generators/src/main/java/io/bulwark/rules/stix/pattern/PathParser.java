package io.bulwark.rules.stix.pattern;

import io.bulwark.rules.stix.pattern.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses object paths for {@link PatternParser}: {@code type:property} then {@code .property},
 * {@code .'quoted key'}, {@code [n]} and {@code [*]} steps. An object type may contain hyphens; a
 * bare property name may not (quote it); neither may be a keyword.
 */
final class PathParser {

  private PathParser() {}

  /** Parses {@code type:property} and the steps after it. */
  static ObjectPath objectPath(PatternParser parser) {
    Token type = parser.take();
    if (!type.is(Kind.IDENTIFIER) || Keywords.isReserved(type.text())) {
      throw PatternParser.expected("an object path such as file:name", type);
    }
    parser.expect(Kind.COLON, "':' after the object type");
    List<ObjectPath.Step> steps = new ArrayList<>(4);
    steps.add(property(parser.take()));
    while (true) {
      Token token = parser.peek();
      if (token.is(Kind.DOT)) {
        parser.take();
        steps.add(property(parser.take()));
      } else if (token.is(Kind.LEFT_BRACKET)) {
        parser.take();
        steps.add(index(parser.take()));
        parser.expect(Kind.RIGHT_BRACKET, "']' after a list index");
      } else {
        return new ObjectPath(type.text(), steps);
      }
    }
  }

  private static ObjectPath.Property property(Token token) {
    if (token.is(Kind.STRING)) {
      return new ObjectPath.Property(token.text());
    }
    if (!token.is(Kind.IDENTIFIER) || Keywords.isReserved(token.text())) {
      throw PatternParser.expected("a property name", token);
    }
    if (token.text().indexOf('-') >= 0) {
      throw new PatternAbort(
          token.position(), "property names cannot contain '-'; quote them: 'name-with-hyphen'");
    }
    return new ObjectPath.Property(token.text());
  }

  private static ObjectPath.Step index(Token token) {
    if (token.is(Kind.STAR)) {
      return new ObjectPath.AnyIndex();
    }
    if (token.is(Kind.INTEGER)) {
      try {
        return new ObjectPath.Index(Integer.parseInt(token.text()));
      } catch (NumberFormatException e) {
        throw new PatternAbort(token.position(), "list index out of range");
      }
    }
    throw PatternParser.expected("a list index or '*'", token);
  }
}
