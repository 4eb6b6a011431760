package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The STIX objects other than indicators (course-of-action, vulnerability, malware, relationship,
 * sighting, identity, marking-definition, and any other type), kept as they came. Versions are told
 * apart by {@code modified} as for indicators: a newer one is stored, an older or equal one leaves
 * what is stored untouched. Thread-safe; each method is one transaction, or part of the enclosing
 * one when called inside {@link IndicatorStore#inOneUnit} on the same thread.
 */
public interface StixObjectStore {

  /**
   * One version of an object.
   *
   * @param id its STIX id, never null
   * @param type its STIX type, never null
   * @param modified its {@code modified}, else its {@code created}, else null for an object STIX
   *     does not version (a cyber-observable)
   * @param specVersion {@code 2.0} or {@code 2.1}, never null
   * @param sourceRef a relationship's {@code source_ref}, else null
   * @param targetRef a relationship's {@code target_ref}, else null
   * @param source where it was ingested from, never null
   * @param json the object as it came (compact), never null
   * @param name a vulnerability's name in upper case (usually its CVE id), else null
   */
  record StoredObject(String id, String type, Instant modified, String specVersion, String sourceRef,
      String targetRef, String source, String json, String name) {
    /** An object without a name to look it up by. */
    public StoredObject(String id, String type, Instant modified, String specVersion, String sourceRef,
        String targetRef, String source, String json) {
      this(id, type, modified, specVersion, sourceRef, targetRef, source, json, null);
    }

    public StoredObject {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(specVersion, "specVersion");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * Keeps nothing: for callers that ingest only to store indicators. Having nothing to compare with,
   * it counts every offer as a first version.
   */
  StixObjectStore DISCARD = new StixObjectStore() {
    @Override
    public List<IndicatorStore.Offer> offerAll(List<StoredObject> versions) {
      return versions.stream().map(v -> IndicatorStore.Offer.FIRST).toList();
    }

    @Override
    public List<StoredObject> findLatest(Collection<String> ids) {
      return List.of();
    }

    @Override
    public List<StoredObject> relationshipsOf(Collection<String> ids) {
      return List.of();
    }

    @Override
    public List<StoredObject> vulnerabilitiesNamed(Collection<String> names) {
      return List.of();
    }
  };

  /**
   * Offers versions in order: each is stored when newer than every stored version of its id (and
   * every earlier one in the list). A marking-definition is stored once: later versions of its id
   * are unchanged offers, since marking-definitions are not versioned.
   *
   * @return one outcome per version, in the same order
   */
  List<IndicatorStore.Offer> offerAll(List<StoredObject> versions);

  /** The newest version of the object with {@code id}, if any. */
  default Optional<StoredObject> findLatest(String id) {
    return findLatest(List.of(id)).stream().findFirst();
  }

  /** The newest versions of the given ids, ordered by id; unknown ids are absent. */
  List<StoredObject> findLatest(Collection<String> ids);

  /**
   * The newest version of every relationship whose source or target is one of {@code ids},
   * ordered by id.
   */
  List<StoredObject> relationshipsOf(Collection<String> ids);

  /** The newest version of each vulnerability whose name is one of {@code names} (upper case). */
  List<StoredObject> vulnerabilitiesNamed(Collection<String> names);
}
