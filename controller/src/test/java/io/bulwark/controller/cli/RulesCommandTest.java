package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline rule commands over the demo bundle. */
class RulesCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private Run run(String... args) throws Exception {
    Path bundle = dir.resolve("bundle.json");
    try (var in = getClass().getResourceAsStream("/demo/wannacry-cve-2017-0144.json")) {
      Files.write(bundle, in.readAllBytes());
    }
    String[] full = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      full[i] = args[i].equals("BUNDLE") ? bundle.toString() : args[i];
    }
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return new Run(BulwarkCli.commandLine().execute(full), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void targets_listsAllTen() throws Exception {
    Run r = run("rules", "targets");
    assertEquals(0, r.exit());
    assertEquals(10, r.out().lines().count(), r.out());
  }

  @Test
  void generate_nftables_printsOneTableWithTheDemoAddresses() throws Exception {
    Run r = run("rules", "generate", "--target", "nftables", "BUNDLE");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("table inet bulwark {") && r.out().contains("198.51.100.0/24")
        && r.out().contains("tcp dport"), r.out());
  }

  @Test
  void generate_multiFileTarget_writesItsFixedNames() throws Exception {
    Run r = run("rules", "generate", "--target", "iptables", "--out", dir.resolve("out").toString(), "BUNDLE");
    assertEquals(0, r.exit());
    for (String f : new String[] {"bulwark.ipset", "bulwark.iptables", "bulwark.ip6tables"}) {
      assertTrue(Files.exists(dir.resolve("out").resolve(f)), f);
    }
    assertEquals(2, run("rules", "generate", "--target", "iptables", "BUNDLE").exit(), "several files need --out");
  }

  @Test
  void generate_everyTarget_writesItsFixedFileNames() throws Exception {
    var expected = java.util.Map.of("nftables", "bulwark.nft", "cisco-ios", "bulwark.ios", "junos", "bulwark.junos",
        "windows-firewall", "bulwark.ps1", "yara", "bulwark.yar", "clamav", "bulwark.hsb", "suricata", "bulwark.rules",
        "pan-edl", "bulwark-ip.txt", "iptables", "bulwark.ipset");
    for (var e : expected.entrySet()) {
      Path out = dir.resolve("out-" + e.getKey());
      assertEquals(0, run("rules", "generate", "--target", e.getKey(), "--out", out.toString(), "BUNDLE").exit(), e.getKey());
      assertTrue(Files.exists(out.resolve(e.getValue())), e.getKey() + " must write " + e.getValue());
    }
  }

  @Test
  void coverage_saysWhichTargetEnforcesTheHashAndWhichTheAddresses() throws Exception {
    Run r = run("rules", "coverage", "--output", "json", "BUNDLE");
    assertEquals(0, r.exit());
    var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertEquals(5, rows.size());
    for (var row : rows) {
      if (row.get("indicator").asText().equals("indicator--d7e8f9a0-b1c2-4d3e-8f4a-5b6c7d8e9fa0")) {
        assertEquals("enforced", row.get("yara").asText());
        assertEquals("unsupported", row.get("nftables").asText());
        assertTrue(row.get("reasons").get("nftables").asText().contains("sha256"), row.toString());
      }
    }
  }

  @Test
  void coverage_underSinkhole_saysNoTargetSinkholesAddresses() throws Exception {
    assertEquals(2, run("rules", "coverage", "--action", "sinkhole", "BUNDLE").exit(), "needs --sinkhole");
    assertEquals(2, run("rules", "coverage", "--action", "sinkhole", "--sinkhole", "10.0.0.0/8", "BUNDLE").exit());
    Run r = run("rules", "coverage", "--output", "json", "--action", "sinkhole", "--sinkhole", "192.0.2.10", "BUNDLE");
    assertEquals(0, r.exit());
    for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())) {
      assertEquals("unsupported", row.get("rpz").asText(), row.toString());
      assertTrue(row.get("reasons").get("rpz").asText().contains("rpz does not enforce sinkhole"), row.toString());
    }
  }
}
