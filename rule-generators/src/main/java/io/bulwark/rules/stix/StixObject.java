package io.bulwark.rules.stix;

import java.time.Instant;
import java.util.Objects;

/**
 * The common properties of any accepted STIX object, and its JSON text.
 *
 * @param type the object type, such as {@code indicator}, never null
 * @param id the STIX id, {@code <type>--<uuid>} in lowercase, never null
 * @param specVersion the version it came as, {@code 2.1} or {@code 2.0} (see {@link SpecVersion})
 * @param created when the object was created; null for objects without it (cyber-observables)
 * @param modified this version's timestamp; null for objects without it. Versions of one {@code id}
 *     are told apart by it
 * @param json the object as compact JSON, property order preserved; equivalent to the input, though
 *     not necessarily byte-identical (whitespace and number spelling may differ)
 */
public record StixObject(
    String type, String id, String specVersion, Instant created, Instant modified, String json) {

  public StixObject {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(specVersion, "specVersion");
    Objects.requireNonNull(json, "json");
  }
}
