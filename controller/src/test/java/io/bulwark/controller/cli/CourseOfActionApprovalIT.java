package io.bulwark.controller.cli;

import static io.bulwark.rules.testing.StixFixtures.domainObject;
import static io.bulwark.rules.testing.StixFixtures.indicator;
import static io.bulwark.rules.testing.StixFixtures.indicatorId;
import static io.bulwark.rules.testing.StixFixtures.objectId;
import static io.bulwark.rules.testing.StixFixtures.relationship;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.rules.testing.StixFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark approve course-of-action--...} against a real controller, through the CLI. */
class CourseOfActionApprovalIT {
  private static final String COA = objectId("course-of-action", 1);
  private static final String MALWARE = objectId("malware", 1);
  private RunningController controller;

  @BeforeEach
  void start() throws Exception {
    controller = RunningController.start("coa");
    Path bundle = controller.dataDir().resolve("coa.json");
    Files.writeString(bundle, StixFixtures.bundleOfJson(List.of(
        domainObject("course-of-action", 1, "Block the C2"),
        domainObject("malware", 1, "Poison Ivy"),
        relationship(1, "mitigates", COA, MALWARE),
        indicator(1, "[ipv4-addr:value = '198.51.100.1']"),
        indicator(2, "[domain-name:value = 'c2.example']"),
        indicator(3, "[ipv4-addr:value = '198.51.100.3']"),
        relationship(2, "indicates", indicatorId(1), MALWARE),
        relationship(3, "indicates", indicatorId(2), MALWARE))));
    RunningController.Run ingest = run("ingest", bundle.toString());
    assertEquals(0, ingest.exit(), ingest.err());
    assertTrue(ingest.out().contains("3 stored, 0 unchanged, 5 other objects (5 new)"), ingest.out());
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void approveCourse_coversTheIndicatorsOfWhatItMitigates_andSaysSo() throws Exception {
    RunningController.Run preview = run("approve", COA, "--action", "block", "--scope", "all", "--preview");
    assertEquals(0, preview.exit(), preview.err());
    assertTrue(preview.out().contains("stands for " + COA + " 'Block the C2': 2 indicators"), preview.out());
    assertTrue(preview.out().contains("terms: 2"), preview.out());

    RunningController.Run approve = run("approve", COA, "--action", "block", "--scope", "all", "--reason", "INC-7");
    assertEquals(0, approve.exit(), approve.err());

    JsonNode listed = new ObjectMapper().readTree(run("countermeasure", "list", "--output", "json").out()).get(0);
    List<String> ids = new java.util.ArrayList<>(List.of(indicatorId(1), indicatorId(2)));
    ids.sort(null);
    assertEquals(ids.toString(), listed.get("indicators").toString().replace("\"", "").replace(",", ", "));
    assertEquals("INC-7; course-of-action " + COA + " 'Block the C2' (2 indicators)", listed.get("reason").asText());
    String audit = run("audit", "list", "--output", "json").out();
    assertTrue(audit.contains("reason: INC-7; course-of-action " + COA), audit);
  }

  @Test
  void approveUnknownCourse_failsNamingIt_andApprovesNothing() throws Exception {
    String unknown = objectId("course-of-action", 2);

    RunningController.Run r = run("approve", unknown, "--action", "block", "--scope", "all");

    assertEquals(1, r.exit());
    assertTrue(r.err().contains("no course-of-action with id " + unknown), r.err());
    assertEquals(0, new ObjectMapper().readTree(run("countermeasure", "list", "--output", "json").out()).size());
  }

  private RunningController.Run run(String... args) {
    return controller.run(args);
  }
}
