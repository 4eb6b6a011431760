package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcStixObjectStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLP from marking-definitions that bundles define under ids of their own, stored in a real H2 store. */
class TlpMarkingsTest {
  private static final String RED_21 = "marking-definition--aaaaaaaa-0000-4000-8000-000000000001";
  private static final String STRICT_20 = "marking-definition--aaaaaaaa-0000-4000-8000-000000000002";
  private static final String STATEMENT = "marking-definition--aaaaaaaa-0000-4000-8000-000000000003";
  private static final String LATE = "marking-definition--aaaaaaaa-0000-4000-8000-000000000004";
  private static final String PREFIXED = "marking-definition--aaaaaaaa-0000-4000-8000-000000000005";
  private Database db;
  private BundleIngestor ingestor;
  private TlpMarkings markings;

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    var objects = new JdbcStixObjectStore(db.jdbi(), clock);
    ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), objects, BundleIngestor.Hook.NONE,
        AllowlistCheck.NONE);
    markings = new TlpMarkings(objects);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private void ingest(String... objects) {
    String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--aaaaaaaa-0000-4000-8000-000000000000\",\"objects\":["
        + String.join(",", objects) + "]}";
    ingestor.ingest(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.UTF_8)), "test");
  }

  private static String marking(String id, String body) {
    return "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"" + id
        + "\",\"created\":\"2026-01-01T00:00:00Z\"," + body + "}";
  }

  private static String marked(String... refs) {
    return "{\"object_marking_refs\":[\"" + String.join("\",\"", refs) + "\"]}";
  }

  @Test
  void customDefinitions_ofStix21Stix20AndTlp2Extension_areRead() {
    ingest(marking(RED_21, "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}"),
        marking(STRICT_20, "\"extensions\":{\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":"
            + "{\"extension_type\":\"property-extension\",\"tlp_2_0\":\"amber+strict\"}}"),
        marking(STATEMENT, "\"definition_type\":\"statement\",\"definition\":{\"statement\":\"TLP:RED in text only\"}"),
        marking(PREFIXED, "\"definition_type\":\"TLP\",\"definition\":{\"tlp\":\"TLP:AMBER\"}"));

    assertEquals(Tlp.RED, markings.of(marked(RED_21)));
    assertEquals(Tlp.AMBER_STRICT, markings.of(marked(STRICT_20)));
    assertEquals(Tlp.AMBER, markings.of(marked(PREFIXED)));
    assertEquals(Tlp.NONE, markings.of(marked(STATEMENT)), "a statement is not a TLP marking");
    assertEquals(Tlp.RED, markings.of(marked(STRICT_20, RED_21)), "the strictest wins");
    assertEquals(Tlp.AMBER_STRICT,
        markings.of(marked("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", STRICT_20)),
        "fixed and custom ids together");
    assertEquals(Tlp.NONE, markings.of("not json"));
  }

  @Test
  void aMarkingNotStored_isWithheldLikeRed_untilItsDefinitionArrives_thenReadsAsItSays() {
    assertEquals(Tlp.UNRESOLVED, markings.of(marked(LATE)));
    assertTrue(markings.of(marked(LATE)).withheld());
    assertEquals(Tlp.RED, markings.of(marked(LATE, "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed")),
        "a known TLP:RED says more than an unknown marking");

    ingest(marking(LATE, "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"green\"}"));

    assertEquals(Tlp.GREEN, markings.of(marked(LATE)), "found at the next look-up");
    assertFalse(markings.of(marked(LATE)).withheld());
  }

  @Test
  void ofAll_answersInOrder_forObjectsWithAndWithoutMarkings() {
    ingest(marking(RED_21, "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}"),
        marking(STATEMENT, "\"definition_type\":\"statement\",\"definition\":{\"statement\":\"x\"}"));

    assertEquals(List.of(Tlp.NONE, Tlp.RED, Tlp.UNRESOLVED, Tlp.NONE, Tlp.NONE),
        markings.ofAll(List.of("{}", marked(RED_21), marked(LATE), marked(STATEMENT), "{\"object_marking_refs\":7}")));
  }
}
