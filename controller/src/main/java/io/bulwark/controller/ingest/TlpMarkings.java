package io.bulwark.controller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.StixObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLP of stored objects, from the fixed TLP marking-definition ids ({@link Tlp#of}) and from
 * marking-definitions that bundles define under ids of their own and that are stored: a definition
 * of {@code definition_type} {@code tlp} with {@code definition.tlp} (STIX 2.0 and 2.1, with or
 * without a {@code TLP:} prefix), or one whose extension carries {@code tlp_2_0}. A stored
 * definition that says anything else counts as unmarked; a reference to a definition that is not
 * stored is {@link Tlp#UNRESOLVED}, withheld like TLP:RED until its definition arrives, so intel
 * whose marking came in a later page or bundle is never shown early. The most restrictive marking
 * of an object wins.
 *
 * <p>Marking-definitions are stored once and never replaced (the object store keeps the first), so
 * what a stored one says is cached; references not found are looked up again at every call, all of
 * a call's at once. Thread-safe.
 */
public final class TlpMarkings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "marking-definition--";
  private static final int MAX_CACHED = 10_000;

  private final StixObjectStore definitions;
  private final Map<String, Tlp> known = new ConcurrentHashMap<>();

  /** Markings resolved against the marking-definitions in {@code definitions}. */
  public TlpMarkings(StixObjectStore definitions) {
    this.definitions = definitions;
  }

  /** The strictest TLP of a stored object's JSON; {@link Tlp#NONE} when unmarked or unreadable. */
  public Tlp of(String objectJson) {
    return ofAll(List.of(objectJson)).get(0);
  }

  /** The strictest TLP of each object's JSON, in order, with one lookup of the definitions not cached. */
  public List<Tlp> ofAll(List<String> objectJsons) {
    List<List<String>> refsOf = new ArrayList<>(objectJsons.size());
    Set<String> unknown = new LinkedHashSet<>();
    for (String json : objectJsons) {
      List<String> refs = refs(json);
      refsOf.add(refs);
      for (String ref : refs) {
        if (Tlp.ofFixedId(ref) == null && !known.containsKey(ref)) {
          unknown.add(ref);
        }
      }
    }
    Map<String, Tlp> found = new HashMap<>();
    if (!unknown.isEmpty()) {
      for (StixObjectStore.StoredObject d : definitions.findLatest(unknown)) {
        if (d.type().equals("marking-definition")) {
          found.put(d.id(), definitionOf(d.json()));
        }
      }
      if (known.size() + found.size() > MAX_CACHED) {
        known.clear();
      }
      known.putAll(found);
    }
    List<Tlp> out = new ArrayList<>(objectJsons.size());
    for (List<String> refs : refsOf) {
      Tlp strictest = Tlp.NONE;
      for (String ref : refs) {
        Tlp t = Tlp.ofFixedId(ref);
        t = t != null ? t : found.get(ref);
        t = t != null ? t : known.getOrDefault(ref, Tlp.UNRESOLVED);
        strictest = t.ordinal() > strictest.ordinal() ? t : strictest;
      }
      out.add(strictest);
    }
    return out;
  }

  /** The marking-definition ids an object's JSON refers to; none when it is not readable JSON. */
  private static List<String> refs(String json) {
    List<String> refs = new ArrayList<>();
    try {
      for (JsonNode r : JSON.readTree(json).path("object_marking_refs")) {
        String ref = r.asText("");
        if (ref.startsWith(PREFIX)) {
          refs.add(ref);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return refs;
  }

  /** What a marking-definition's JSON says about TLP; {@link Tlp#NONE} when it is not a TLP marking. */
  static Tlp definitionOf(String json) {
    try {
      JsonNode d = JSON.readTree(json);
      Tlp named = Tlp.NONE;
      if (d.path("definition_type").asText("").equalsIgnoreCase("tlp")) {
        named = level(d.path("definition").path("tlp").asText(""));
      }
      Iterator<JsonNode> extensions = d.path("extensions").elements();
      while (extensions.hasNext()) {
        Tlp t = level(extensions.next().path("tlp_2_0").asText(""));
        named = t.ordinal() > named.ordinal() ? t : named;
      }
      return named;
    } catch (IOException e) {
      return Tlp.NONE;
    }
  }

  private static Tlp level(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("tlp:")) {
      t = t.substring(4);
    }
    return switch (t) {
      case "white" -> Tlp.WHITE;
      case "clear" -> Tlp.CLEAR;
      case "green" -> Tlp.GREEN;
      case "amber" -> Tlp.AMBER;
      case "amber+strict" -> Tlp.AMBER_STRICT;
      case "red" -> Tlp.RED;
      default -> Tlp.NONE;
    };
  }
}
