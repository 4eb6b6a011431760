package io.bulwark.controller.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.StixObjectStore.StoredObject;
import io.bulwark.rules.stix.StixObject;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Turns an accepted STIX object into what the object store keeps, reading a relationship's ends
 * and a vulnerability's name.
 */
final class Relationships {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REF =
      Pattern.compile("[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private Relationships() {}

  /**
   * The object as stored under {@code source} (which the ingest already cut to what the store
   * keeps); a relationship's ends only when they are well-formed STIX ids.
   */
  static StoredObject stored(StixObject object, String source) {
    Instant version = object.modified() != null ? object.modified() : object.created();
    String from = null;
    String to = null;
    String name = null;
    if ("relationship".equals(object.type()) || "vulnerability".equals(object.type())) {
      try {
        JsonNode json = JSON.readTree(object.json());
        from = ref(json.path("source_ref"));
        to = ref(json.path("target_ref"));
        String n = json.path("name").asText("").strip().toUpperCase(java.util.Locale.ROOT);
        name = "vulnerability".equals(object.type()) && !n.isEmpty() && n.length() <= 300 ? n : null;
      } catch (JsonProcessingException e) {
        // The reader produced this JSON; it parses. Without ends the relationship links nothing.
      }
    }
    return new StoredObject(object.id(), object.type(), version, object.specVersion(), from, to,
        source, object.json(), name);
  }

  private static String ref(JsonNode node) {
    String text = node.isTextual() ? node.asText() : null;
    return text != null && REF.matcher(text).matches() ? text : null;
  }
}
