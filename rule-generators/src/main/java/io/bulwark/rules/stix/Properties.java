package io.bulwark.rules.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed access to the properties of one JSON object, failing with a message naming the property.
 */
final class Properties {

  /** RFC 3339 date-time with upper-case separators, as STIX requires. */
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  private final ObjectNode node;
  private final String prefix;

  Properties(ObjectNode node) {
    this(node, "");
  }

  Properties(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  String requiredString(String name) {
    String value = optionalString(name);
    if (value == null) {
      throw new Invalid("missing required property '" + prefix + name + "'");
    }
    return value;
  }

  String optionalString(String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new Invalid("property '" + prefix + name + "' must be a string");
    }
    return value.textValue();
  }

  boolean optionalBoolean(String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new Invalid("property '" + prefix + name + "' must be true or false");
    }
    return value.booleanValue();
  }

  Instant optionalTimestamp(String name) {
    String text = optionalString(name);
    if (text == null) {
      return null;
    }
    if (TIMESTAMP.matcher(text).matches()) {
      try {
        return text.charAt(text.length() - 1) == 'Z'
            ? utc(text)
            : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeException e) {
        // Shaped like a timestamp but not a real date, such as February 30: reported below.
      }
    }
    throw new Invalid(
        "property '" + prefix + name + "' " + quote(text) + " is not an RFC 3339 timestamp");
  }

  /**
   * A {@link #TIMESTAMP} ending in {@code Z}, read field by field: the same result and the same
   * refusals (February 30, hour 24, second 60) as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME},
   * several times faster.
   *
   * @throws DateTimeException when a field is out of range
   */
  static Instant utc(String t) {
    int nanos = 0;
    int end = t.length() - 1;
    if (end > 19) {
      for (int i = 20; i < 29; i++) {
        nanos = nanos * 10 + (i < end ? t.charAt(i) - '0' : 0);
      }
    }
    return LocalDateTime.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13),
        digits(t, 14, 16), digits(t, 17, 19), nanos).toInstant(ZoneOffset.UTC);
  }

  private static int digits(String t, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (t.charAt(i) - '0');
    }
    return n;
  }

  Iterable<JsonNode> optionalArray(String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new Invalid("property '" + prefix + name + "' must be an array");
    }
    return value;
  }

  List<String> optionalStrings(String name) {
    List<String> strings = new ArrayList<>();
    for (JsonNode element : optionalArray(name)) {
      if (!element.isTextual()) {
        throw new Invalid("property '" + prefix + name + "' must hold strings");
      }
      strings.add(element.textValue());
    }
    return strings;
  }

  /** Quotes an untrusted value for a message, shortened and with control characters escaped. */
  static String quote(String value) {
    String shown = value.length() > 64 ? value.substring(0, 61) + "..." : value;
    StringBuilder text = new StringBuilder("'");
    shown
        .chars()
        .forEach(c -> text.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", c) : (char) c));
    return text.append('\'').toString();
  }

  /** A property that breaks the rules; the message names it. */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }
}
