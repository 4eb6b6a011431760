package io.bulwark.rules.stix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds the tree of one JSON object from a streaming parser while enforcing {@link ReaderLimits}.
 * When a bound is broken it stops building, skips the rest of the object so the parser is
 * positioned after it, and reports the reason; memory therefore never holds more than one object of
 * bounded size.
 */
final class BoundedTreeReader {

  /** The longest property name accepted; STIX limits custom property names to 250. */
  private static final int MAX_NAME_LENGTH = 250;

  private final JsonParser parser;
  private final ReaderLimits limits;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private long startOffset;
  private ObjectNode root;

  BoundedTreeReader(JsonParser parser, ReaderLimits limits) {
    this.parser = parser;
    this.limits = limits;
  }

  /**
   * Reads the object whose {@code START_OBJECT} is the parser's current token.
   *
   * @return the tree, or null after skipping the object, with the reason in {@code rejection}
   * @throws IOException when the JSON itself is broken
   */
  ObjectNode read(StringBuilder rejection) throws IOException {
    startOffset = offset();
    int depth = parser.getParsingContext().getNestingDepth();
    try {
      return (ObjectNode) value(1, null);
    } catch (Bound e) {
      rejection.append(e.getMessage());
      skipRestOfObject(depth);
      return null;
    }
  }

  private JsonNode value(int depth, String property) throws IOException {
    checkSize();
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw endedEarly();
    }
    switch (token) {
      case START_OBJECT:
        return object(depth);
      case START_ARRAY:
        checkDepth(depth);
        ArrayNode array = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(depth + 1, property));
        }
        return array;
      case VALUE_STRING:
        String text = parser.getText();
        if (text.length() > limits.maxStringLength()) {
          throw new Bound(
              "has property "
                  + Properties.quote(property)
                  + " longer than "
                  + limits.maxStringLength()
                  + " characters");
        }
        return nodes.textNode(text);
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return nodes.numberNode(parser.getDecimalValue());
      case VALUE_TRUE:
      case VALUE_FALSE:
        return nodes.booleanNode(token == JsonToken.VALUE_TRUE);
      case VALUE_NULL:
        return nodes.nullNode();
      default:
        throw new IllegalStateException("unexpected token " + token);
    }
  }

  /** Returns the {@code id} read before a bound was broken, unvalidated, or null. */
  String partialId() {
    JsonNode id = root == null ? null : root.get("id");
    return id != null && id.isTextual() ? id.textValue() : null;
  }

  private ObjectNode object(int depth) throws IOException {
    checkDepth(depth);
    ObjectNode object = nodes.objectNode();
    if (root == null) {
      root = object;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (name.length() > MAX_NAME_LENGTH) {
        throw new Bound("has a property name longer than " + MAX_NAME_LENGTH + " characters");
      }
      if (object.has(name)) {
        // Two values for one name would let a feed show one id and store another.
        throw new Bound("repeats property " + Properties.quote(name));
      }
      parser.nextToken();
      object.set(name, value(depth + 1, name));
    }
    return object;
  }

  private void checkDepth(int depth) {
    if (depth > limits.maxDepth()) {
      throw new Bound("is nested deeper than " + limits.maxDepth() + " levels");
    }
  }

  private void checkSize() {
    if (offset() - startOffset > limits.maxObjectBytes()) {
      throw new Bound("is larger than " + limits.maxObjectBytes() + " bytes");
    }
  }

  private long offset() {
    long bytes = parser.currentLocation().getByteOffset();
    return bytes >= 0 ? bytes : parser.currentLocation().getCharOffset();
  }

  /** Advances past the END_OBJECT of the object whose content is at nesting depth {@code depth}. */
  private void skipRestOfObject(int depth) throws IOException {
    parser.skipChildren();
    while (parser.getParsingContext().getNestingDepth() >= depth) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw endedEarly();
      }
      parser.skipChildren();
    }
  }

  private StixFormatException endedEarly() {
    var at = parser.currentLocation();
    return new StixFormatException(
        "input ended inside an object", at.getLineNr(), at.getColumnNr(), null);
  }

  /** A broken bound; caught in {@link #read}. */
  private static final class Bound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bound(String message) {
      super(message, null, false, false);
    }
  }
}
