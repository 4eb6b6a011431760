package io.bulwark.controller.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Traffic Light Protocol markings of a STIX object, from its {@code object_marking_refs} and
 * the TLP marking-definition ids that STIX 2.1 fixes (section 7.2.1.4). The most restrictive
 * marking wins.
 */
public enum Tlp {
  NONE,
  WHITE,
  GREEN,
  AMBER,
  RED;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Tlp> STIX_21_IDS = Map.of(
      "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", WHITE,
      "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", GREEN,
      "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", AMBER,
      "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", RED);

  /** The label shown to people: {@code TLP:RED}, or empty when unmarked. */
  public String label() {
    return this == NONE ? "" : "TLP:" + name();
  }

  /** The TLP of a stored object's JSON; {@link #NONE} when unmarked or unreadable. */
  public static Tlp of(String objectJson) {
    try {
      JsonNode refs = JSON.readTree(objectJson).path("object_marking_refs");
      Tlp strictest = NONE;
      for (JsonNode ref : refs) {
        Tlp t = STIX_21_IDS.getOrDefault(ref.asText().toLowerCase(Locale.ROOT), NONE);
        if (t.ordinal() > strictest.ordinal()) {
          strictest = t;
        }
      }
      return strictest;
    } catch (IOException e) {
      return NONE;
    }
  }
}
