package io.bulwark.controller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.StixObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The TLP of stored objects, from the fixed TLP marking-definition ids ({@link Tlp#of}) and from
 * marking-definitions that bundles define under ids of their own and that are stored: a definition
 * of {@code definition_type} {@code tlp} with {@code definition.tlp} (STIX 2.0 and 2.1, with or
 * without a {@code TLP:} prefix), or one whose extension carries {@code tlp_2_0}. A definition
 * that says anything else, or a reference to one not stored, counts as unmarked. The most
 * restrictive marking of an object wins.
 *
 * <p>Marking-definitions are not versioned (STIX 2.1 section 7.2.1), so what a stored one says
 * is kept; a reference to one not yet stored is looked up again after a minute. Thread-safe.
 */
public final class TlpMarkings {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RETRY_MISS_NANOS = 60_000_000_000L;
  private static final int MAX_CACHED = 10_000;

  private final StixObjectStore definitions;
  private final LongSupplier nanoTime;
  private final Map<String, Tlp> known = new ConcurrentHashMap<>();
  private final Map<String, Long> missing = new ConcurrentHashMap<>();

  /** Markings resolved against the marking-definitions in {@code definitions}. */
  public TlpMarkings(StixObjectStore definitions) {
    this(definitions, System::nanoTime);
  }

  TlpMarkings(StixObjectStore definitions, LongSupplier nanoTime) {
    this.definitions = definitions;
    this.nanoTime = nanoTime;
  }

  /** The strictest TLP of a stored object's JSON; {@link Tlp#NONE} when unmarked or unreadable. */
  public Tlp of(String objectJson) {
    JsonNode refs;
    try {
      refs = JSON.readTree(objectJson).path("object_marking_refs");
    } catch (IOException e) {
      return Tlp.NONE;
    }
    Tlp strictest = Tlp.NONE;
    List<String> lookUp = new ArrayList<>();
    long now = nanoTime.getAsLong();
    for (JsonNode r : refs) {
      String ref = r.asText("");
      Tlp t = Tlp.ofFixedId(ref);
      if (t == null) {
        t = known.get(ref);
      }
      if (t != null) {
        strictest = stricter(strictest, t);
      } else if (ref.startsWith("marking-definition--") && lookUp.size() < 64 && !recentlyMissing(ref, now)) {
        lookUp.add(ref);
      }
    }
    if (!lookUp.isEmpty()) {
      bound();
      for (StixObjectStore.StoredObject d : definitions.findLatest(lookUp)) {
        if (d.type().equals("marking-definition")) {
          Tlp t = definitionOf(d.json());
          known.put(d.id(), t);
          strictest = stricter(strictest, t);
        }
      }
      lookUp.stream().filter(ref -> !known.containsKey(ref)).forEach(ref -> missing.put(ref, now));
    }
    return strictest;
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
        named = stricter(named, level(extensions.next().path("tlp_2_0").asText("")));
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

  private boolean recentlyMissing(String ref, long now) {
    Long at = missing.get(ref);
    return at != null && now - at < RETRY_MISS_NANOS;
  }

  private void bound() {
    if (known.size() > MAX_CACHED) {
      known.clear();
    }
    if (missing.size() > MAX_CACHED) {
      missing.clear();
    }
  }

  private static Tlp stricter(Tlp a, Tlp b) {
    return b.ordinal() > a.ordinal() ? b : a;
  }
}
