package io.bulwark.rules.stix;

import static io.bulwark.rules.stix.StixBundleReaderTest.assertAccepted;
import static io.bulwark.rules.stix.StixBundleReaderTest.assertRejected;
import static io.bulwark.rules.testing.StixFixtures.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.stix.StixObjectResult.Accepted;
import io.bulwark.rules.testing.StixFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** STIX 2.0 bundles: objects without spec_version, indicators without pattern_type, 2.0 patterns. */
class StixBundleReaderStix20Test {

  private final StixBundleReader reader = new StixBundleReader();

  @Test
  void read_stix20Bundle_acceptsObjectsWithoutSpecVersion_as20() {
    String indicator =
        "{\"type\": \"indicator\", \"id\": \"indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\","
            + " \"created\": \"2024-04-25T18:50:00.001Z\", \"modified\": \"2024-04-25T18:50:00.001Z\","
            + " \"labels\": [\"malicious-activity\"], \"valid_from\": \"2024-04-12T00:00:00Z\","
            + " \"pattern\": \"[ipv4-addr:value = '198.51.100.9'] START '2024-04-12T00:00:00Z'"
            + " STOP '2024-05-12T00:00:00Z'\"}";
    String malware =
        "{\"type\": \"malware\", \"id\": \"malware--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e\","
            + " \"created\": \"2024-04-25T18:50:00Z\", \"modified\": \"2024-04-25T18:50:00Z\","
            + " \"name\": \"x\", \"labels\": [\"backdoor\"]}";
    String bundle = "{\"type\": \"bundle\", \"id\": \"bundle--22798be0-3067-45ca-8378-0edb60aad0a5\","
        + " \"spec_version\": \"2.0\", \"objects\": [" + indicator + ", " + malware + "]}";
    List<StixObjectResult> results = new ArrayList<>();

    BundleSummary summary = reader.read(stream(bundle), results::add);

    assertEquals(new BundleSummary("bundle--22798be0-3067-45ca-8378-0edb60aad0a5", 2, 0), summary);
    Accepted first = assertAccepted(results.get(0), "indicator");
    assertEquals("2.0", first.object().specVersion());
    Indicator parsed = first.indicator().orElseThrow();
    assertEquals(SpecVersion.V2_0, parsed.specVersion());
    assertEquals("stix", parsed.patternType(), "2.0 indicators hold STIX patterns without saying so");
    assertEquals(List.of("malicious-activity"), parsed.labels());
    assertEquals("2.0", assertAccepted(results.get(1), "malware").object().specVersion());
  }

  @Test
  void read_stix20Indicator_withA21Qualifier_isRejectedNamingThePattern() {
    String indicator =
        "{\"type\": \"indicator\", \"id\": \"indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\","
            + " \"created\": \"2024-04-25T18:50:00Z\", \"modified\": \"2024-04-25T18:50:00Z\","
            + " \"labels\": [\"malicious-activity\"], \"valid_from\": \"2024-04-12T00:00:00Z\","
            + " \"pattern\": \"[x:y = 1] START t'2024-04-12T00:00:00Z' STOP t'2024-05-12T00:00:00Z'\"}";
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(StixFixtures.bundleOfJson(List.of(indicator))), results::add);

    assertRejected(results.get(0), "indicator--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "property 'pattern' is not a valid STIX pattern: at 16: expected a timestamp string '...' after START"
            + " (STIX 2.0) but found a timestamp");
  }

  @Test
  void read_stix21Indicator_keepsItsVersion_andNeedsAPatternType() {
    List<StixObjectResult> results = new ArrayList<>();

    reader.read(stream(StixFixtures.bundle("[ipv4-addr:value = '192.0.2.1']")), results::add);

    Accepted accepted = assertAccepted(results.get(0), "indicator");
    assertEquals(SpecVersion.V2_1, accepted.indicator().orElseThrow().specVersion());
  }
}
