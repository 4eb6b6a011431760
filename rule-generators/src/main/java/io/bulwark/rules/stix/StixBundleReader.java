package io.bulwark.rules.stix;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a STIX 2.1 or 2.0 bundle from a stream, one object at a time (see {@link SpecVersion}).
 *
 * <p>The bundle is parsed with Jackson's streaming parser; each element of {@code objects} is built
 * into a tree on its own, validated, handed to the caller's consumer as a {@link StixObjectResult}
 * and dropped, so memory is bounded by the largest object ({@link ReaderLimits#maxObjectBytes()}),
 * not by the bundle. A broken element is {@link StixObjectResult.Rejected} with the reason and the
 * rest are still read.
 *
 * <p>Input that is not a bundle at all (not JSON, not an object, {@code type} other than {@code
 * bundle}, no bundle {@code id}, truncated, trailing content) raises {@link StixFormatException}
 * with the line and column. Because STIX does not fix the order of properties, {@code type} and
 * {@code id} may come after {@code objects}, so the exception can follow results already delivered:
 * a caller that stores results must do so in a unit it discards when {@code read} throws.
 *
 * <p>Thread-safe: each call uses its own parser. The stream is neither closed nor read past the end
 * of the bundle's JSON text.
 */
public final class StixBundleReader {

  private static final Pattern BUNDLE_ID =
      Pattern.compile("bundle--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final ReaderLimits limits;
  private final JsonFactory factory;
  private final ObjectMapper mapper;
  private final StixObjectParser objectParser;

  /** Creates a reader with {@link ReaderLimits#DEFAULTS}. */
  public StixBundleReader() {
    this(ReaderLimits.DEFAULTS);
  }

  /**
   * Creates a reader with the given bounds.
   *
   * @param limits the bounds, never null
   */
  public StixBundleReader(ReaderLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(limits.maxObjectBytes()).build())
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    this.mapper = new ObjectMapper(factory);
    this.objectParser = new StixObjectParser(limits);
  }

  /**
   * Reads one bundle, passing each element of {@code objects} to {@code sink} in order.
   *
   * @param in the bundle as UTF-8 JSON, never null; not closed
   * @param sink receives one result per element; exceptions it throws propagate unchanged
   * @return the bundle id and the counts of accepted and rejected objects
   * @throws StixFormatException when the input is not a STIX bundle
   * @throws UncheckedIOException when reading the stream fails
   */
  public BundleSummary read(InputStream in, Consumer<StixObjectResult> sink) {
    Objects.requireNonNull(sink, "sink");
    try (JsonParser parser = factory.createParser(in)) {
      return new Session(parser, sink).bundle();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? -1 : at.getLineNr();
      int column = at == null ? -1 : at.getColumnNr();
      throw new StixFormatException("malformed JSON: " + e.getOriginalMessage(), line, column, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read STIX bundle", e);
    }
  }

  /** The state of one {@link #read} call. */
  private final class Session {
    private final JsonParser parser;
    private final Consumer<StixObjectResult> sink;
    private String type;
    private String id;
    private boolean sawObjects;
    private int accepted;
    private int rejected;

    Session(JsonParser parser, Consumer<StixObjectResult> sink) {
      this.parser = parser;
      this.sink = sink;
    }

    BundleSummary bundle() throws IOException {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw problem("expected a STIX bundle (a JSON object) but found " + describe(token));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        switch (name) {
          case "type" -> type = bundleType();
          case "id" -> id = bundleId();
          case "objects" -> objects();
          default -> parser.skipChildren();
        }
      }
      if (type == null) {
        throw problem("the bundle has no 'type'");
      }
      if (id == null) {
        throw problem("the bundle has no 'id'");
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw problem("unexpected content after the bundle: " + describe(trailing));
      }
      return new BundleSummary(id, accepted, rejected);
    }

    private String bundleType() throws IOException {
      String value = topLevelString("type");
      if (!value.equals("bundle")) {
        throw problem("'type' is " + Properties.quote(value) + ", not 'bundle'");
      }
      return value;
    }

    private String bundleId() throws IOException {
      String value = topLevelString("id");
      if (!BUNDLE_ID.matcher(value).matches()) {
        throw problem("bundle 'id' " + Properties.quote(value) + " is not bundle--<uuid>");
      }
      return value;
    }

    private String topLevelString(String name) throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        throw problem("bundle '" + name + "' must be a string");
      }
      if ((name.equals("type") ? type : id) != null) {
        throw problem("bundle '" + name + "' appears more than once");
      }
      return parser.getText();
    }

    private void objects() throws IOException {
      if (sawObjects) {
        throw problem("bundle 'objects' appears more than once");
      }
      sawObjects = true;
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw problem("bundle 'objects' must be an array");
      }
      int index = 0;
      for (JsonToken token; (token = parser.nextToken()) != JsonToken.END_ARRAY; index++) {
        if (token == null) {
          throw problem("input ended inside 'objects'");
        }
        StixObjectResult result;
        if (token == JsonToken.START_OBJECT) {
          result = element(index);
        } else {
          parser.skipChildren();
          result =
              new StixObjectResult.Rejected(
                  index, null, "objects[" + index + "] is " + describe(token) + ", not an object");
        }
        if (result instanceof StixObjectResult.Accepted) {
          accepted++;
        } else {
          rejected++;
        }
        sink.accept(result);
      }
    }

    private StixObjectResult element(int index) throws IOException {
      StringBuilder rejection = new StringBuilder();
      BoundedTreeReader reader = new BoundedTreeReader(parser, limits);
      ObjectNode node = reader.read(rejection);
      if (node == null) {
        String objectId = StixObjectParser.wellFormedId(reader.partialId());
        return new StixObjectResult.Rejected(index, objectId, "object " + rejection);
      }
      return objectParser.parse(index, node, mapper.writeValueAsString(node));
    }

    private StixFormatException problem(String message) {
      JsonLocation at = parser.currentTokenLocation();
      return new StixFormatException(message, at.getLineNr(), at.getColumnNr(), null);
    }
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "end of input";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.asString();
    };
  }
}
