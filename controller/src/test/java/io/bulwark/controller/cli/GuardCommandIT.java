package io.bulwark.controller.cli;

import static io.bulwark.rules.testing.StixFixtures.indicator;
import static io.bulwark.rules.testing.StixFixtures.indicatorId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark guard}: the CSIRT's entries change what ingest marks and what approval refuses, at once. */
class GuardCommandIT {
  private Path work;
  private ControllerMain controller;

  @BeforeEach
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-guard-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  @Test
  void allowAndProtectEntries_takeEffectForTheNextIngestAndApproval_andAreAudited() throws Exception {
    Path first = work.resolve("first.json");
    Files.writeString(first, StixFixtures.bundleOfJson(List.of(indicator(1, "[ipv4-addr:value = '10.20.3.4']"))));
    Run ingest = run("ingest", first.toString());
    assertTrue(ingest.out().contains("1 allowlisted"), ingest.out());
    assertEquals(1, run("approve", indicatorId(1), "--action", "block", "--scope", "all").exit(),
        "an internal address is protected by default");

    Run allow = run("guard", "add", "10.20.0.0/16", "--allow", "--reason", "quarantine of INC-9");
    assertEquals(0, allow.exit(), allow.err());
    Run approved = run("approve", indicatorId(1), "--action", "block", "--scope", "all");
    assertEquals(0, approved.exit(), approved.err());

    assertEquals(0, run("guard", "add", "partner.example", "--reason", "our mail relay").exit());
    Path second = work.resolve("second.json");
    Files.writeString(second, StixFixtures.bundleOfJson(List.of(indicator(2, "[domain-name:value = 'mx.partner.example']"))));
    Run marked = run("ingest", second.toString());
    assertTrue(marked.out().contains("mx.partner[.]example overlaps partner[.]example (our mail relay"), marked.out());
    Run refused = run("approve", indicatorId(2), "--action", "block", "--scope", "all");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("refused by the guard rails"), refused.err());

    String list = run("guard", "list").out();
    assertTrue(list.contains("10.20.0.0/16") && list.contains("allow") && list.contains("partner.example"), list);
    assertTrue(run("guard", "list", "--built-in").out().contains("software updates"));
    assertEquals(0, run("guard", "remove", "partner.example").exit());
    assertEquals(1, run("guard", "remove", "partner.example").exit(), "nothing left to remove");
    assertEquals(0, run("approve", indicatorId(2), "--action", "block", "--scope", "all").exit());

    Run bad = run("guard", "add", "not a value", "--reason", "x");
    assertEquals(1, bad.exit());
    assertTrue(bad.err().contains("'not a value' is not an IP address, a prefix or a domain name"), bad.err());
    String audit = run("audit", "list", "--output", "json").out();
    assertTrue(audit.contains("guard.put") && audit.contains("guard.remove"), audit);
  }

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      int exit = BulwarkCli.commandLine().execute(full);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
