package io.bulwark.controller.cli;

import static io.bulwark.rules.testing.StixFixtures.indicator;
import static io.bulwark.rules.testing.StixFixtures.indicatorId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.testing.StixFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark guard}: the CSIRT's entries change what ingest marks and what approval refuses, at once. */
class GuardCommandIT {
  private RunningController controller;

  @BeforeEach
  void start() throws Exception {
    controller = RunningController.start("guard");
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void allowAndProtectEntries_takeEffectForTheNextIngestAndApproval_andAreAudited() throws Exception {
    Path first = controller.dataDir().resolve("first.json");
    Files.writeString(first, StixFixtures.bundleOfJson(List.of(indicator(1, "[ipv4-addr:value = '10.20.3.4']"))));
    RunningController.Run ingest = run("ingest", first.toString());
    assertTrue(ingest.out().contains("1 allowlisted"), ingest.out());
    assertEquals(1, run("approve", indicatorId(1), "--action", "block", "--scope", "all").exit(),
        "an internal address is protected by default");

    RunningController.Run allow = run("guard", "add", "10.20.0.0/16", "--allow", "--reason", "quarantine of INC-9");
    assertEquals(0, allow.exit(), allow.err());
    RunningController.Run approved = run("approve", indicatorId(1), "--action", "block", "--scope", "all");
    assertEquals(0, approved.exit(), approved.err());

    assertEquals(0, run("guard", "add", "partner.example", "--reason", "our mail relay").exit());
    Path second = controller.dataDir().resolve("second.json");
    Files.writeString(second, StixFixtures.bundleOfJson(List.of(indicator(2, "[domain-name:value = 'mx.partner.example']"))));
    RunningController.Run marked = run("ingest", second.toString());
    assertTrue(marked.out().contains("mx.partner[.]example overlaps partner[.]example (our mail relay"), marked.out());
    RunningController.Run refused = run("approve", indicatorId(2), "--action", "block", "--scope", "all");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("refused by the guard rails"), refused.err());

    String list = run("guard", "list").out();
    assertTrue(list.contains("10.20.0.0/16") && list.contains("allow") && list.contains("partner.example"), list);
    assertTrue(run("guard", "list", "--built-in").out().contains("software updates"));
    assertEquals(0, run("guard", "remove", "partner.example").exit());
    assertEquals(1, run("guard", "remove", "partner.example").exit(), "nothing left to remove");
    assertEquals(0, run("approve", indicatorId(2), "--action", "block", "--scope", "all").exit());

    RunningController.Run bad = run("guard", "add", "not a value", "--reason", "x");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("'not a value' is not an IP address, a prefix or a domain name"), bad.err());
    String audit = run("audit", "list", "--output", "json").out();
    assertTrue(audit.contains("guard.put") && audit.contains("guard.remove"), audit);
  }

  private RunningController.Run run(String... args) {
    return controller.run(args);
  }
}
