package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlpTest {
  /** Fixed ids are never looked up, so a store that keeps nothing will do. */
  private static final TlpMarkings FIXED_ONLY =
      new TlpMarkings(io.bulwark.controller.domain.StixObjectStore.DISCARD);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "5e57c739-391a-4eb3-b6be-7d15ca92d5ed, RED, TLP:RED",
    "e828b379-4e03-4974-9ac4-e53a884c97c1, RED, TLP:RED",
    "939a9414-2ddd-4d32-a0cd-375ea402b003, AMBER_STRICT, TLP:AMBER+STRICT",
    "f88d31f6-486f-44da-b317-01333bde0b82, AMBER, TLP:AMBER",
    "55d920b0-5e8b-4f79-9ee9-91f868d9b421, AMBER, TLP:AMBER",
    "34098fce-860f-48ae-8e50-ebd3cc5e41da, GREEN, TLP:GREEN",
    "bab4a63c-aed9-4cf5-a766-dfca5abac2bb, GREEN, TLP:GREEN",
    "94868c89-83c2-464b-929b-a1a8aa3c8487, CLEAR, TLP:CLEAR",
    "613f2e26-407d-48c7-9eca-b8e91df99dc9, WHITE, TLP:WHITE",
    "00000000-0000-4000-8000-000000000000, UNRESOLVED, marking unknown (withheld as TLP:RED)"
  })
  void fixedMarkingIds_ofTlp1And2_areRecognised_andAnUnknownOneIsUnresolved(String uuid, Tlp tlp, String label) {
    Tlp read = FIXED_ONLY.of("{\"object_marking_refs\":[\"marking-definition--" + uuid + "\"]}");

    assertEquals(tlp, read);
    assertEquals(label, read.label());
  }

  @ParameterizedTest
  @CsvSource({
    "f88d31f6-486f-44da-b317-01333bde0b82, 939a9414-2ddd-4d32-a0cd-375ea402b003, AMBER_STRICT",
    "e828b379-4e03-4974-9ac4-e53a884c97c1, 94868c89-83c2-464b-929b-a1a8aa3c8487, RED"
  })
  void theStrictestMarking_wins(String first, String second, Tlp expected) {
    assertEquals(expected, FIXED_ONLY.of("{\"object_marking_refs\":[\"marking-definition--" + first
        + "\",\"marking-definition--" + second + "\"]}"));
  }
}
