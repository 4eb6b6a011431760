package io.bulwark.rules.stix;

import static io.bulwark.rules.testing.StixFixtures.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.rules.stix.StixObjectResult.Accepted;
import io.bulwark.rules.stix.StixObjectResult.Rejected;
import io.bulwark.rules.testing.StixFixtures;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixBundleReaderTest {

  private final StixBundleReader reader = new StixBundleReader();

  @Test
  void read_mixedBundle_acceptsValidObjectsAndRejectsEachBrokenOne() throws Exception {
    List<StixObjectResult> results = new ArrayList<>();
    BundleSummary summary;
    try (InputStream in = getClass().getResourceAsStream("/stix/mixed-bundle.json")) {
      summary = reader.read(in, results::add);
    }

    assertEquals(new BundleSummary("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", 5, 8), summary);
    assertEquals(13, results.size());
    assertAccepted(results.get(0), "indicator");
    assertAccepted(results.get(1), "course-of-action");
    assertAccepted(results.get(2), "vulnerability");
    assertAccepted(results.get(3), "relationship");
    assertRejected(results.get(4), null, "missing required property 'id'");
    assertRejected(
        results.get(5),
        "indicator--b7d8a4c2-9a39-4f5e-8c1e-6f1f3d8d2a01",
        "missing required property 'type'");
    assertRejected(
        results.get(6),
        "indicator--0f4c3f2e-54c9-4d38-9d8c-2d1f8b3a7c02",
        "property 'valid_from' 'yesterday' is not an RFC 3339 timestamp");
    assertRejected(
        results.get(7),
        "indicator--6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c03",
        "'valid_until' is not after 'valid_from'");
    assertRejected(
        results.get(8),
        "indicator--1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f04",
        "missing required property 'pattern'");
    assertRejected(results.get(9), null, "objects[9] is a string, not an object");
    assertRejected(
        results.get(10),
        "malware--2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a05",
        "id does not start with its type 'indicator--'");
    assertRejected(
        results.get(11),
        "indicator--3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b06",
        "spec_version '2.2' is not supported; only 2.0 and 2.1");
    Indicator last = assertAccepted(results.get(12), "indicator").indicator().orElseThrow();
    assertTrue(last.revoked());
  }

  @Test
  void read_indicator_parsesEveryModelledProperty() throws Exception {
    List<StixObjectResult> results = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/stix/mixed-bundle.json")) {
      reader.read(in, results::add);
    }
    Accepted accepted = (Accepted) results.get(0);
    Indicator indicator = accepted.indicator().orElseThrow();

    assertEquals("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", indicator.id());
    assertEquals("SMB exploitation attempts", indicator.name());
    assertEquals("stix", indicator.patternType());
    assertTrue(indicator.isStixPattern());
    assertTrue(indicator.pattern().startsWith("[network-traffic:dst_port = 445"));
    assertEquals(Instant.parse("2017-05-12T08:17:27Z"), indicator.validFrom());
    assertEquals(Instant.parse("2017-08-11T22:00:00Z"), indicator.validUntil());
    assertEquals(Instant.parse("2017-05-13T10:00:00.123456Z"), indicator.modified());
    assertFalse(indicator.revoked());
    assertEquals(List.of("smb", "worm"), indicator.labels());
    assertEquals(
        List.of(
            new ExternalReference("cve", "CVE-2017-0144", null),
            new ExternalReference("vendor", null, "https://example.com/advisory")),
        indicator.externalReferences());
    StixObject object = accepted.object();
    assertEquals(indicator.created(), object.created());
    assertEquals("2.1", object.specVersion());
  }

  @Test
  void read_acceptedObject_keepsItsJson() throws Exception {
    List<StixObjectResult> results = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/stix/mixed-bundle.json")) {
      reader.read(in, results::add);
    }
    ObjectMapper mapper = new ObjectMapper();
    String json = ((Accepted) results.get(3)).object().json();

    assertEquals("mitigates", mapper.readTree(json).path("relationship_type").textValue());
    assertFalse(json.contains("\n"), "compact");
  }

  @Test
  void read_fixtureBundle_acceptsEveryIndicator() {
    List<StixObjectResult> results = new ArrayList<>();
    String bundle = StixFixtures.bundle("[ipv4-addr:value = '192.0.2.1']", "[x:y = 'it\\'s']");

    BundleSummary summary = reader.read(stream(bundle), results::add);

    assertEquals(2, summary.accepted());
    Accepted second = assertInstanceOf(Accepted.class, results.get(1));
    assertEquals(StixFixtures.indicatorId(1), second.object().id());
    assertEquals("[x:y = 'it\\'s']", second.indicator().orElseThrow().pattern());
  }

  @Test
  void read_invalidStixPattern_isRejectedWithTheParsersPositionAndMessage() {
    List<StixObjectResult> results = new ArrayList<>();
    String bundle =
        StixFixtures.bundle(
            "[ipv4-addr:value = '192.0.2.1']",
            "[file:hashes.'SHA-256' = 'f00']",
            "ipv4-addr:value = '192.0.2.1'",
            "[ipv4-addr:value = '192.0.2.1'] REPEATS 2 TIMES");

    BundleSummary summary = reader.read(stream(bundle), results::add);

    assertEquals(2, summary.accepted());
    assertRejected(
        results.get(1),
        StixFixtures.indicatorId(1),
        "property 'pattern' is not a valid STIX pattern: at 25: 'f00' is not a valid SHA-256 hash:"
            + " expected 64 hex digits");
    assertRejected(
        results.get(2),
        StixFixtures.indicatorId(2),
        "property 'pattern' is not a valid STIX pattern: at 0: expected '[' to start an"
            + " observation, or '(' but found 'ipv4-addr'");
    assertInstanceOf(Accepted.class, results.get(3));
  }

  @Test
  void read_otherPatternLanguage_isNotParsedAsStix() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    var indicator =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            mapper.readTree(
                StixFixtures.indicator(0, "alert tcp any any -> any 445 (msg:\"smb\";)"));
    indicator.put("pattern_type", "snort");
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(StixFixtures.bundleOfJson(List.of(indicator.toString()))), results::add);

    Accepted accepted = assertInstanceOf(Accepted.class, results.get(0), results::toString);
    assertEquals("snort", accepted.indicator().orElseThrow().patternType());
  }

  @Test
  void read_typeAfterObjects_isStillABundle() {
    String bundle =
        "{\"objects\": ["
            + StixFixtures.indicator(0, "[x:y = 1]")
            + "],"
            + " \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\", \"type\": \"bundle\"}";

    assertEquals(1, reader.read(stream(bundle), result -> {}).accepted());
  }

  @Test
  void read_nonJson_throwsWithLineAndColumn() {
    StixFormatException e =
        assertThrows(
            StixFormatException.class, () -> reader.read(stream("\n  hello world"), r -> {}));

    assertEquals(2, e.line());
    assertTrue(
        e.getMessage().startsWith("malformed JSON: Unrecognized token 'hello'"), e.getMessage());
    assertTrue(e.getMessage().endsWith("at line 2, column " + e.column()), e.getMessage());
  }

  @Test
  void read_emptyInput_throwsNotABundle() {
    StixFormatException e =
        assertThrows(StixFormatException.class, () -> reader.read(stream(""), r -> {}));

    assertTrue(
        e.getMessage().startsWith("expected a STIX bundle (a JSON object) but found end of input"));
  }

  @Test
  void read_topLevelArray_throwsNotABundle() {
    StixFormatException e =
        assertThrows(StixFormatException.class, () -> reader.read(stream("[1, 2]"), r -> {}));

    assertEquals(
        "expected a STIX bundle (a JSON object) but found an array at line 1, column 1",
        e.getMessage());
  }

  @Test
  void read_objectOfAnotherType_throws() {
    String json = "{\"type\": \"indicator\", \"objects\": []}";

    StixFormatException e =
        assertThrows(StixFormatException.class, () -> reader.read(stream(json), r -> {}));

    assertEquals("'type' is 'indicator', not 'bundle' at line 1, column 10", e.getMessage());
  }

  @Test
  void read_bundleWithoutId_throws() {
    String json = "{\"type\": \"bundle\", \"objects\": []}";

    assertThrows(StixFormatException.class, () -> reader.read(stream(json), r -> {}));
  }

  @Test
  void read_truncatedBundle_throwsAfterDeliveringCompleteObjects() {
    String bundle = StixFixtures.bundle("[x:y = 1]", "[x:y = 2]");
    String truncated = bundle.substring(0, bundle.lastIndexOf("\"pattern\""));
    List<StixObjectResult> results = new ArrayList<>();

    assertThrows(StixFormatException.class, () -> reader.read(stream(truncated), results::add));
    assertEquals(1, results.size());
  }

  @Test
  void read_trailingContent_throws() {
    String bundle = StixFixtures.bundle("[x:y = 1]") + " {}";

    StixFormatException e =
        assertThrows(StixFormatException.class, () -> reader.read(stream(bundle), r -> {}));

    assertTrue(
        e.getMessage().startsWith("unexpected content after the bundle: an object"),
        e.getMessage());
  }

  @Test
  void read_overlongString_rejectsOnlyThatObject() {
    ReaderLimits limits = new ReaderLimits(100, 50, 10_000, 8);
    String bundle =
        StixFixtures.bundleOfJson(
            List.of(
                StixFixtures.indicator(0, "[x:y = '" + "a".repeat(200) + "']"),
                StixFixtures.indicator(1, "[x:y = 1]")));
    List<StixObjectResult> results = new ArrayList<>();

    new StixBundleReader(limits).read(stream(bundle), results::add);

    assertRejected(
        results.get(0),
        StixFixtures.indicatorId(0),
        "object has property 'pattern' longer than 100 characters");
    assertAccepted(results.get(1), "indicator");
  }

  @Test
  void read_overlongPattern_isRejected() {
    ReaderLimits limits = new ReaderLimits(1000, 50, 10_000, 8);
    String bundle = StixFixtures.bundle("[x:y = '" + "a".repeat(60) + "']");
    List<StixObjectResult> results = new ArrayList<>();

    new StixBundleReader(limits).read(stream(bundle), results::add);

    assertRejected(
        results.get(0),
        StixFixtures.indicatorId(0),
        "property 'pattern' is longer than 50 characters");
  }

  @Test
  void read_oversizedObject_isRejectedAndSkipped() {
    ReaderLimits limits = new ReaderLimits(1000, 500, 2_000, 8);
    String big =
        "{\"type\": \"note\", \"id\": \"note--5d0092c5-5f74-4287-9642-33f4c354e56d\","
            + " \"x\": ["
            + "1, ".repeat(2_000)
            + "1], \"y\": {\"z\": [\"a\"]}}";
    String bundle = StixFixtures.bundleOfJson(List.of(big, StixFixtures.indicator(1, "[x:y = 1]")));
    List<StixObjectResult> results = new ArrayList<>();

    new StixBundleReader(limits).read(stream(bundle), results::add);

    assertRejected(
        results.get(0),
        "note--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "object is larger than 2000 bytes");
    assertAccepted(results.get(1), "indicator");
  }

  @Test
  void read_deepNesting_isRejectedAndSkipped() {
    String deep = "{\"x\": " + "[".repeat(40) + "]".repeat(40) + "}";
    String bundle =
        StixFixtures.bundleOfJson(List.of(deep, StixFixtures.indicator(1, "[x:y = 1]")));
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(bundle), results::add);

    assertRejected(results.get(0), null, "object is nested deeper than 32 levels");
    assertAccepted(results.get(1), "indicator");
  }

  @Test
  void read_duplicateProperty_isRejected() {
    String indicator = StixFixtures.indicator(0, "[x:y = 1]");
    String duplicated =
        indicator.replaceFirst(
            "\\{", "{\"id\": \"indicator--00000000-0000-4000-8000-000000000000\",");
    String bundle =
        "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
            + " \"objects\": ["
            + duplicated
            + "]}";
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(bundle), results::add);

    assertRejected(
        results.get(0),
        "indicator--00000000-0000-4000-8000-000000000000",
        "object repeats property 'id'");
  }

  @Test
  void read_uppercaseId_isRejected() {
    String indicator =
        StixFixtures.indicator(0, "[x:y = 1]")
            .replace(StixFixtures.indicatorId(0), StixFixtures.indicatorId(0).toUpperCase());
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(StixFixtures.bundleOfJson(List.of(indicator))), results::add);

    Rejected rejected = assertInstanceOf(Rejected.class, results.get(0));
    assertNull(rejected.objectId());
    assertTrue(rejected.reason().endsWith("is not <type>--<lowercase uuid>"), rejected.reason());
  }

  @Test
  void read_observableWithoutTimestamps_isAcceptedWithNullTimestamps() {
    String sco =
        "{\"type\": \"ipv4-addr\", \"id\": \"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd\","
            + " \"value\": \"198.51.100.3\"}";
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(StixFixtures.bundleOfJson(List.of(sco))), results::add);

    Accepted accepted = assertAccepted(results.get(0), "ipv4-addr");
    assertNull(accepted.object().created());
    assertTrue(accepted.indicator().isEmpty());
  }

  static Accepted assertAccepted(StixObjectResult result, String type) {
    Accepted accepted = assertInstanceOf(Accepted.class, result, () -> result.toString());
    assertEquals(type, accepted.object().type());
    assertEquals(type.equals("indicator"), accepted.indicator().isPresent());
    return accepted;
  }

  static void assertRejected(StixObjectResult result, String id, String reason) {
    Rejected rejected = assertInstanceOf(Rejected.class, result, () -> result.toString());
    assertEquals(id, rejected.objectId());
    assertEquals(reason, rejected.reason());
  }
}
