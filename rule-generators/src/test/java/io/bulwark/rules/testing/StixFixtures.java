package io.bulwark.rules.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Builds small STIX 2.1 bundles for tests, in this module and in others through the test-jar.
 *
 * <p>Ids are derived from names and indexes, and timestamps are fixed, so the same call always
 * yields the same JSON text. Pattern strings are embedded as JSON strings, properly escaped, and
 * are not checked here: hostile and invalid patterns are welcome (the reader rejects an indicator
 * whose pattern is not valid STIX).
 */
public final class StixFixtures {

  /** The {@code created} and {@code modified} timestamp of every fixture object. */
  public static final String TIMESTAMP = "2017-05-12T08:00:00.000Z";

  /** The {@code valid_from} of every fixture indicator. */
  public static final String VALID_FROM = "2017-05-12T08:00:00Z";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StixFixtures() {}

  /** Returns a bundle holding one indicator per pattern, numbered from 0 in order. */
  public static String bundle(String... patterns) {
    ArrayNode objects = MAPPER.createArrayNode();
    for (int i = 0; i < patterns.length; i++) {
      objects.add(indicatorNode(i, patterns[i]));
    }
    return bundleOf(objects);
  }

  /** Returns a bundle whose {@code objects} are the given JSON object texts, in order. */
  public static String bundleOfJson(List<String> objectJson) {
    ArrayNode objects = MAPPER.createArrayNode();
    for (String json : objectJson) {
      try {
        objects.add(MAPPER.readTree(json));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("not JSON: " + json, e);
      }
    }
    return bundleOf(objects);
  }

  /** Returns the JSON text of fixture indicator number {@code n} with {@code pattern}. */
  public static String indicator(int n, String pattern) {
    return indicatorNode(n, pattern).toString();
  }

  /** Returns the id of fixture indicator number {@code n}. */
  public static String indicatorId(int n) {
    return "indicator--" + uuid("indicator-" + n);
  }

  /** Returns the UTF-8 bytes of {@code json} as a stream. */
  public static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the id of fixture object number {@code n} of {@code type}. */
  public static String objectId(String type, int n) {
    return type + "--" + uuid(type + "-" + n);
  }

  /** Returns the JSON text of a STIX 2.1 domain object of {@code type}, number {@code n}, with {@code name}. */
  public static String domainObject(String type, int n, String name) {
    ObjectNode object = common(type, objectId(type, n));
    object.put("name", name);
    return object.toString();
  }

  /** Returns the JSON text of relationship number {@code n}: {@code from} {@code type} {@code to}. */
  public static String relationship(int n, String type, String from, String to) {
    ObjectNode object = common("relationship", objectId("relationship", n));
    object.put("relationship_type", type);
    object.put("source_ref", from);
    object.put("target_ref", to);
    return object.toString();
  }

  private static ObjectNode common(String type, String id) {
    ObjectNode object = MAPPER.createObjectNode();
    object.put("type", type);
    object.put("spec_version", "2.1");
    object.put("id", id);
    object.put("created", TIMESTAMP);
    object.put("modified", TIMESTAMP);
    return object;
  }

  private static ObjectNode indicatorNode(int n, String pattern) {
    ObjectNode indicator = MAPPER.createObjectNode();
    indicator.put("type", "indicator");
    indicator.put("spec_version", "2.1");
    indicator.put("id", indicatorId(n));
    indicator.put("created", TIMESTAMP);
    indicator.put("modified", TIMESTAMP);
    indicator.put("name", "fixture indicator " + n);
    indicator.put("pattern", pattern);
    indicator.put("pattern_type", "stix");
    indicator.put("valid_from", VALID_FROM);
    indicator.putArray("indicator_types").add("malicious-activity");
    return indicator;
  }

  private static String bundleOf(ArrayNode objects) {
    ObjectNode bundle = MAPPER.createObjectNode();
    bundle.put("type", "bundle");
    bundle.put("id", "bundle--" + uuid("bundle-" + objects.toString()));
    bundle.set("objects", objects);
    return bundle.toPrettyString();
  }

  private static UUID uuid(String name) {
    return UUID.nameUUIDFromBytes(("bulwark-fixture-" + name).getBytes(StandardCharsets.UTF_8));
  }
}
