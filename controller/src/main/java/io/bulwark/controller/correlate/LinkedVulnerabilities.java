package io.bulwark.controller.correlate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.Countermeasure.Severity;
import io.bulwark.controller.domain.StixObjectStore;
import io.bulwark.controller.domain.StixObjectStore.StoredObject;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The most severe vulnerability an indicator is linked to, for its priority. Linked: by a
 * relationship between the two, by a relationship through one object between them (the indicator
 * indicates a malware that exploits the vulnerability), or by a CVE the indicator cites that names a
 * stored vulnerability. A vulnerability's severity is what the object says, as STIX has no property
 * for it: a {@code severity} or {@code x_severity} word (critical, high, medium, low), else a CVSS
 * base score (a number from 0 to 10 under a key holding "cvss" and "score", at any depth up to four)
 * read as CVSS v3 does: 9.0 critical, 7.0 high, 4.0 medium, above 0 low. Thread-safe.
 */
public final class LinkedVulnerabilities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "vulnerability--";
  private final StixObjectStore objects;

  public LinkedVulnerabilities(StixObjectStore objects) {
    this.objects = objects;
  }

  /** A vulnerability and its severity. */
  public record Linked(String name, Severity severity) {}

  /**
   * The most severe linked vulnerability with a severity, if any.
   *
   * @param cves the CVE ids the indicator cites, any case
   */
  public Optional<Linked> mostSevere(String indicatorId, Set<String> cves) {
    Set<String> ids = new LinkedHashSet<>();
    Set<String> between = new LinkedHashSet<>();
    for (StoredObject r : objects.relationshipsOf(List.of(indicatorId))) {
      String other = indicatorId.equals(r.sourceRef()) ? r.targetRef() : r.sourceRef();
      if (other != null && other.startsWith(PREFIX)) {
        ids.add(other);
      } else if (other != null && !other.startsWith("indicator--")) {
        between.add(other);
      }
    }
    if (!between.isEmpty()) {
      for (StoredObject r : objects.relationshipsOf(between)) {
        for (String end : new String[] {r.sourceRef(), r.targetRef()}) {
          if (end != null && end.startsWith(PREFIX)) {
            ids.add(end);
          }
        }
      }
    }
    List<StoredObject> found = new java.util.ArrayList<>(objects.findLatest(ids));
    if (!cves.isEmpty()) {
      found.addAll(objects.vulnerabilitiesNamed(cves.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList()));
    }
    return found.stream()
        .flatMap(v -> severity(v).map(s -> new Linked(name(v), s)).stream())
        .min(Comparator.comparing(Linked::severity).thenComparing(Linked::name));
  }

  /** What the vulnerability object says of its severity, if anything. */
  static Optional<Severity> severity(StoredObject vulnerability) {
    JsonNode json;
    try {
      json = JSON.readTree(vulnerability.json());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    for (String key : new String[] {"severity", "x_severity"}) {
      String word = json.path(key).asText("").strip().toLowerCase(Locale.ROOT);
      for (Severity s : Severity.values()) {
        if (s.label().equals(word)) {
          return Optional.of(s);
        }
      }
    }
    return cvss(json, 0).map(LinkedVulnerabilities::ofScore);
  }

  private static Optional<Double> cvss(JsonNode node, int depth) {
    if (depth > 4 || !node.isObject()) {
      return Optional.empty();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      JsonNode value = e.getValue();
      if (key.contains("cvss") && key.contains("score") && value.isNumber()
          && value.asDouble() >= 0 && value.asDouble() <= 10) {
        return Optional.of(value.asDouble());
      }
      Optional<Double> inner = cvss(value, depth + 1);
      if (inner.isPresent()) {
        return inner;
      }
    }
    return Optional.empty();
  }

  private static Severity ofScore(double score) {
    return score >= 9.0 ? Severity.CRITICAL : score >= 7.0 ? Severity.HIGH : score >= 4.0 ? Severity.MEDIUM
        : Severity.LOW;
  }

  private static String name(StoredObject v) {
    return v.name() != null ? v.name() : v.id();
  }
}
