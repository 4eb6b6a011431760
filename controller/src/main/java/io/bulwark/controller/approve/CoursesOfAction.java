package io.bulwark.controller.approve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.StixObjectStore;
import io.bulwark.controller.domain.StixObjectStore.StoredObject;
import io.bulwark.controller.domain.StoredIndicator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the course-of-action ids of an approval into the stored indicators they cover, so that a
 * CSIRT can approve "what this course of action says to do" as one countermeasure.
 *
 * <p>A course of action covers the indicators linked to it by a relationship of any type, in
 * either direction, and the indicators linked to what it {@code mitigates} or {@code remediates}
 * (in STIX a course of action mitigates a malware, a vulnerability or an attack pattern, and the
 * indicators of that malware point at it with {@code indicates}). Only indicators that are stored
 * count. The expansion is done once, at approval: an indicator linked later is not added to the
 * countermeasure without a new decision. Thread-safe.
 */
public final class CoursesOfAction {
  private static final String PREFIX = "course-of-action--";
  private static final Set<String> ACTING_ON = Set.of("mitigates", "remediates");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StixObjectStore objects;
  private final IndicatorStore indicators;

  public CoursesOfAction(StixObjectStore objects, IndicatorStore indicators) {
    this.objects = objects;
    this.indicators = indicators;
  }

  /**
   * The ids of an approval with its course-of-action ids replaced by the indicators they cover.
   *
   * @param ids the indicator ids the request covers, in request order
   * @param courses each course of action that was named, with its name and the indicators it
   *     covered (an empty map when none was named)
   */
  public record Expansion(List<String> ids, Map<String, Covered> courses) {
    /** A short account for the audit log and the countermeasure's reason, empty when no course was named. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      courses.forEach((id, c) -> parts.add("course-of-action " + id + (c.name().isEmpty() ? "" : " '" + c.name() + "'")
          + " (" + c.indicators().size() + " indicators)"));
      return String.join(", ", parts);
    }
  }

  /** What one course of action covered. */
  public record Covered(String name, List<String> indicators) {}

  /**
   * Expands the course-of-action ids among {@code ids}; other ids pass through unchanged.
   *
   * @throws InvalidRequestException naming a course of action that is not stored, or one that covers
   *     no stored indicator
   */
  public Expansion expand(List<String> ids) {
    Set<String> out = new LinkedHashSet<>();
    Map<String, Covered> courses = new LinkedHashMap<>();
    for (String id : ids) {
      if (!id.startsWith(PREFIX)) {
        out.add(id);
        continue;
      }
      StoredObject course = objects.findLatest(id).orElseThrow(() -> new InvalidRequestException(
          "no course-of-action with id " + id + " (ingest the bundle that holds it first)"));
      if (read(course).path("revoked").asBoolean(false)) {
        throw new InvalidRequestException("course-of-action " + id + " was revoked by its producer");
      }
      List<String> covered = covered(id);
      if (covered.isEmpty()) {
        throw new InvalidRequestException("course-of-action " + id + " covers no stored indicator: none is linked to it"
            + " or to what it mitigates or remediates");
      }
      courses.put(id, new Covered(name(course), covered));
      out.addAll(covered);
    }
    return new Expansion(List.copyOf(out), courses);
  }

  private List<String> covered(String course) {
    Set<String> candidates = new LinkedHashSet<>();
    Set<String> actedOn = new LinkedHashSet<>();
    for (StoredObject r : live(objects.relationshipsOf(List.of(course)))) {
      String other = course.equals(r.sourceRef()) ? r.targetRef() : r.sourceRef();
      if (other == null) {
        continue;
      }
      if (other.startsWith("indicator--")) {
        candidates.add(other);
      } else if (course.equals(r.sourceRef()) && ACTING_ON.contains(relationshipType(r))) {
        actedOn.add(other);
      }
    }
    if (!actedOn.isEmpty()) {
      for (StoredObject r : live(objects.relationshipsOf(actedOn))) {
        for (String end : new String[] {r.sourceRef(), r.targetRef()}) {
          if (end != null && end.startsWith("indicator--")) {
            candidates.add(end);
          }
        }
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    return indicators.findLatest(candidates).stream().map(StoredIndicator::id).sorted().toList();
  }

  /** The relationships their producer has not revoked. */
  private static List<StoredObject> live(List<StoredObject> relationships) {
    return relationships.stream().filter(r -> !read(r).path("revoked").asBoolean(false)).toList();
  }

  private static String relationshipType(StoredObject relationship) {
    return read(relationship).path("relationship_type").asText("");
  }

  private static String name(StoredObject object) {
    // Feed text: no control characters reach the reason, the audit log or a terminal.
    String name = read(object).path("name").asText("").replaceAll("\\p{Cntrl}", " ").strip();
    return name.length() > 200 ? name.substring(0, 200) + "..." : name;
  }

  private static JsonNode read(StoredObject object) {
    try {
      return JSON.readTree(object.json());
    } catch (JsonProcessingException e) {
      return JSON.missingNode();
    }
  }
}
