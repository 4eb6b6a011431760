package io.bulwark.controller.ingest;

import java.util.Locale;
import java.util.Map;

/**
 * Traffic Light Protocol levels, and the TLP marking-definition ids that are fixed: those of TLP
 * 1.0 in STIX 2.0 and 2.1 (STIX 2.1 section 7.2.1.4) and those of TLP 2.0 (FIRST's TLP 2.0 as the
 * STIX extension publishes it: CLEAR, GREEN, AMBER, AMBER+STRICT, RED). The most restrictive marking wins; constants are in
 * that order. {@link TlpMarkings} reads an object's markings, these ids and those a bundle defines.
 */
public enum Tlp {
  NONE,
  WHITE,
  CLEAR,
  GREEN,
  AMBER,
  AMBER_STRICT,
  /**
   * Marked with a marking-definition that is not stored (yet): treated as {@link #RED} for
   * withholding until the definition says otherwise.
   */
  UNRESOLVED,
  RED;

  private static final Map<String, Tlp> FIXED_IDS = Map.of(
      "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", WHITE,
      "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", GREEN,
      "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", AMBER,
      "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", RED,
      "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", CLEAR,
      "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", GREEN,
      "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", AMBER,
      "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", AMBER_STRICT,
      "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", RED);

  /** The label shown to people: {@code TLP:RED}, {@code TLP:AMBER+STRICT}, or empty when unmarked. */
  public String label() {
    if (this == UNRESOLVED) {
      return "marking unknown (withheld as TLP:RED)";
    }
    return this == NONE ? "" : "TLP:" + name().replace('_', '+');
  }

  /** Whether intel so marked is withheld from readers outside the CSIRT: TLP:RED, or unresolved. */
  public boolean withheld() {
    return this == RED || this == UNRESOLVED;
  }

  /** The TLP of a fixed TLP marking-definition id; null when {@code markingId} is not one. */
  static Tlp ofFixedId(String markingId) {
    return FIXED_IDS.get(markingId.toLowerCase(Locale.ROOT));
  }
}
