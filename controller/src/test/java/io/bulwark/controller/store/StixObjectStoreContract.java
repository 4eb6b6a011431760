package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.controller.domain.IndicatorStore.Offer;
import io.bulwark.controller.domain.StixObjectStore.StoredObject;
import io.bulwark.controller.testing.DatabaseContract;
import io.bulwark.controller.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The object store's behaviour, run against H2 and PostgreSQL by its subclasses. */
abstract class StixObjectStoreContract extends DatabaseContract {
  static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");
  private static final String COA = "course-of-action--3e9d4c2b-1a0f-4e8d-9c7b-6a5f4e3d2c1b";
  private static final String MALWARE = "malware--7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e6f7";
  private static final String REL = "relationship--8f7e6d5c-4b3a-4291-8e0f-1a2b3c4d5e6f";
  JdbcStixObjectStore objects;

  @BeforeEach
  void open() {
    objects = new JdbcStixObjectStore(db.jdbi(), new MutableClock(T0));
  }

  @Test
  void offerAll_keepsNewerVersions_ignoresOlderAndEqual_alsoWithinTheList() {
    StoredObject v1 = coa(T0, "first");
    StoredObject v2 = coa(T0.plusSeconds(60), "second");

    assertEquals(List.of(Offer.FIRST, Offer.STORED, Offer.UNCHANGED), objects.offerAll(List.of(v1, v2, v1)));
    assertEquals(List.of(Offer.UNCHANGED, Offer.UNCHANGED), objects.offerAll(List.of(v2, coa(T0, "older again"))));

    assertEquals(Optional.of(v2), objects.findLatest(COA));
  }

  @Test
  void markingDefinition_isStoredOnce_aLaterCreatedUnderTheSameIdIsIgnored() {
    String id = "marking-definition--aaaaaaaa-0000-4000-8000-00000000000a";
    StoredObject red = new StoredObject(id, "marking-definition", T0, "2.1", null, null, "partner",
        "{\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}");
    StoredObject relabelled = new StoredObject(id, "marking-definition", T0.plusSeconds(3600), "2.1", null, null,
        "other", "{\"definition_type\":\"statement\",\"definition\":{\"statement\":\"public\"}}");

    assertEquals(List.of(Offer.FIRST, Offer.UNCHANGED), objects.offerAll(List.of(red, relabelled)));
    assertEquals(List.of(Offer.UNCHANGED), objects.offerAll(List.of(relabelled)));
    assertEquals(Optional.of(red), objects.findLatest(id));
  }

  @Test
  void unversionedObject_isKeptOnce_andReadBackWithoutATimestamp() {
    StoredObject sco = new StoredObject("ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "ipv4-addr", null, "2.1",
        null, null, "feed", "{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}");

    assertEquals(List.of(Offer.FIRST, Offer.UNCHANGED), objects.offerAll(List.of(sco, sco)));
    assertEquals(Optional.of(sco), objects.findLatest(sco.id()));
  }

  @Test
  void relationshipsOf_findsEitherEnd_byTheNewestVersionOnly() {
    objects.offerAll(List.of(relationship(T0, COA, MALWARE)));
    assertEquals(List.of(REL), ids(objects.relationshipsOf(List.of(COA))));
    assertEquals(List.of(REL), ids(objects.relationshipsOf(List.of(MALWARE))));

    // A newer version points elsewhere: the old ends no longer find it.
    String other = "malware--00000000-0000-4000-8000-000000000001";
    objects.offerAll(List.of(relationship(T0.plusSeconds(1), COA, other)));

    assertEquals(List.of(), objects.relationshipsOf(List.of(MALWARE)));
    assertEquals(List.of(REL), ids(objects.relationshipsOf(List.of(other))));
    assertEquals(other, objects.relationshipsOf(List.of(COA)).get(0).targetRef());
  }

  @Test
  void relationshipsOf_manyIds_findsThoseBeyondTheFirstChunk() {
    List<String> asked = new java.util.ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      asked.add(String.format("malware--00000000-0000-4000-8000-%012d", i));
    }
    objects.offerAll(List.of(relationship(T0, COA, asked.get(1_100))));

    assertEquals(List.of(REL), ids(objects.relationshipsOf(asked)));
  }

  @Test
  void json_keepsEveryCharacter() {
    String json = "{\"name\":\"tab\\t quote\\\" back\\\\slash \u00e9 \u2028 \\n\"}";
    StoredObject odd = new StoredObject(COA, "course-of-action", T0, "2.0", null, null, "a\tb\\c", json);

    objects.offerAll(List.of(odd));

    assertEquals(Optional.of(odd), objects.findLatest(COA));
  }

  private static StoredObject coa(Instant modified, String name) {
    return new StoredObject(COA, "course-of-action", modified, "2.1", null, null, "test",
        "{\"type\":\"course-of-action\",\"name\":\"" + name + "\"}");
  }

  private static StoredObject relationship(Instant modified, String from, String to) {
    return new StoredObject(REL, "relationship", modified, "2.1", from, to, "test",
        "{\"type\":\"relationship\",\"relationship_type\":\"mitigates\"}");
  }

  private static List<String> ids(List<StoredObject> found) {
    return found.stream().map(StoredObject::id).toList();
  }
}
