package io.bulwark.controller.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.UrlTerm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one indicator version offers the correlation index, computed from its own JSON and pattern
 * only, so the cost is proportional to the indicator.
 *
 * @param keys the exact-match keys (content hash, references, external references, values)
 * @param prefixes the IP prefixes and addresses its pattern names
 * @param confidence the STIX {@code confidence}, null when absent
 * @param reporter who reports it: {@code created_by_ref}, else the ingest source
 */
public record CorrelationKeys(
    List<Key> keys, List<IpPrefix> prefixes, String name, String searchText, Integer confidence,
    String reporter, Instant created) {

  /** Kinds of keys; the level a shared key gives is fixed by its kind. */
  public enum Kind {
    CONTENT(Level.DUPLICATE), REF(Level.RELATED_HIGH), EXTREF(Level.RELATED_HIGH), VALUE(Level.RELATED_LOW);

    private final Level level;

    Kind(Level level) {
      this.level = level;
    }

    public Level level() {
      return level;
    }

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One exact-match key: {@code value} is normalised (lowercase), {@code shown} as read. */
  public record Key(Kind kind, String value, String shown) {}

  /** References that say who made or marked an object, not what it is about. */
  private static final Set<String> NOT_ABOUT = Set.of("created_by_ref", "object_marking_refs", "marking_ref");
  private static final Set<String> NOT_CONTENT = Set.of("id", "created", "modified");
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final int MAX_TEXT = 4096;

  /** Computes the keys of {@code indicator}; unreadable JSON yields only the pattern's values. */
  public static CorrelationKeys of(StoredIndicator indicator) {
    Set<Key> keys = new LinkedHashSet<>();
    List<IpPrefix> prefixes = new ArrayList<>();
    JsonNode json = parse(indicator.json());
    String reporter = indicator.source() == null ? "" : indicator.source();
    Integer confidence = null;
    Instant created = null;
    String description = "";
    if (json instanceof ObjectNode object) {
      keys.add(new Key(Kind.CONTENT, contentHash(object), "same properties"));
      collectRefs(object, indicator.id(), keys);
      collectExternal(object.path("external_references"), keys);
      if (object.path("created_by_ref").isTextual()) {
        reporter = object.get("created_by_ref").asText();
      }
      confidence = object.path("confidence").isInt() ? object.get("confidence").asInt() : null;
      created = parseInstant(object.path("created").asText(null));
      description = object.path("description").asText("");
    }
    for (Term term : IndicatorTerms.extract(indicator.pattern(), IndicatorTerms.version(indicator)).terms()) {
      if (term instanceof IpPrefix p) {
        prefixes.add(p);
      } else if (term instanceof DomainTerm d) {
        keys.add(value("domain:" + d.name(), d.name()));
      } else if (term instanceof UrlTerm u) {
        keys.add(value("url:" + u, u.toString()));
      } else if (term instanceof HashTerm h) {
        keys.add(value("hash:" + h.algorithm().keyword() + ":" + h.hex(), h.toString()));
      } else if (term instanceof io.bulwark.rules.term.EmailTerm e) {
        keys.add(value("email:" + e, e.toString()));
      }
    }
    String text = (indicator.name() + "\n" + description).toLowerCase(Locale.ROOT);
    text = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    String name = indicator.name().length() > 1024 ? indicator.name().substring(0, 1024) : indicator.name();
    return new CorrelationKeys(List.copyOf(keys), List.copyOf(prefixes), name, text, confidence, reporter, created);
  }

  /** The key of a reference to {@code stixId}. */
  public static Key ref(String stixId) {
    return new Key(Kind.REF, stixId.toLowerCase(Locale.ROOT), stixId);
  }

  /** The key of an external reference; CVE ids are keyed {@code cve:cve-yyyy-nnnn}. */
  public static Key external(String sourceName, String externalId) {
    String shown = sourceName + ":" + externalId;
    return new Key(Kind.EXTREF, shown.toLowerCase(Locale.ROOT), shown);
  }

  static Key value(String normalised, String shown) {
    return new Key(Kind.VALUE, normalised.toLowerCase(Locale.ROOT), shown);
  }

  /** SHA-256 of the JSON with keys sorted and without id, created and modified. */
  static String contentHash(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove(NOT_CONTENT);
    try {
      Object tree = SORTED.treeToValue(copy, Object.class);
      return sha256(SORTED.writeValueAsString(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree always serialises", e);
    }
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void collectRefs(JsonNode node, String ownId, Set<Key> keys) {
    if (node.isArray()) {
      node.forEach(child -> collectRefs(child, ownId, keys));
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode v = field.getValue();
      boolean isRef = (name.endsWith("_ref") || name.endsWith("_refs")) && !NOT_ABOUT.contains(name);
      if (isRef && v.isTextual()) {
        addRef(v.asText(), ownId, keys);
      } else if (isRef && v.isArray()) {
        v.forEach(e -> { if (e.isTextual()) addRef(e.asText(), ownId, keys); });
      } else if (v.isContainerNode()) {
        collectRefs(v, ownId, keys);
      }
    }
  }

  private static void addRef(String id, String ownId, Set<Key> keys) {
    if (!id.equals(ownId) && id.contains("--") && id.length() <= 200) {
      keys.add(ref(id));
    }
  }

  private static void collectExternal(JsonNode refs, Set<Key> keys) {
    for (JsonNode r : refs) {
      String source = r.path("source_name").asText("");
      String id = r.path("external_id").asText("");
      if (!source.isEmpty() && !id.isEmpty() && source.length() + id.length() < 400) {
        keys.add(external(source, id));
      }
    }
  }

  private static JsonNode parse(String json) {
    try {
      return json == null ? null : SORTED.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  private static Instant parseInstant(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
