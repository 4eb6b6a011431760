package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.testing.SharedTestData;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code bulwark stix check-pattern} and {@code bulwark stix validate}, in process, offline. */
class StixCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.isEmpty()
          ? List.of()
          : List.of(out.split("\n", -1)).subList(0, out.split("\n", -1).length - 1);
    }
  }

  private Run run(String stdin, String... args) {
    CommandLine cli = BulwarkCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int exit = cli.execute(args);
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void help_listsTheStixCommands() {
    assertTrue(run("", "--help").out().contains("stix"));
    Run r = run("", "stix", "--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("check-pattern") && r.out().contains("validate"), r.out());
  }

  @Test
  void checkPattern_printsOneVerdictPerLine_inOrder() {
    Run r =
        run(
            "[ipv4-addr:value = '192.0.2.1']\n[file:size = ]\n\n[a:b = 1] WITHIN 5 SECONDS\r\n",
            "stix",
            "check-pattern");

    assertEquals(0, r.exit(), r.err());
    assertEquals(
        List.of(
            "VALID",
            "INVALID\tat 13: expected a constant (string, number, true, false, t'...', b'...' or"
                + " h'...') but found ']'",
            "INVALID\tat 0: expected '[' to start an observation, or '(' but found end of pattern",
            "VALID"),
        r.lines());
  }

  @Test
  void checkPattern_specVersion20_readsStartStopStrings() {
    String v20 = "[a:b = 1] START '2016-06-01T00:00:00Z' STOP '2016-07-01T00:00:00Z'\n";
    String v21 = "[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'\n";

    Run as20 = run(v20 + v21, "stix", "check-pattern", "--spec-version", "2.0");
    Run as21 = run(v20 + v21, "stix", "check-pattern");

    assertEquals(List.of("VALID",
        "INVALID\tat 16: expected a timestamp string '...' after START (STIX 2.0) but found a timestamp"), as20.lines());
    assertEquals(List.of("INVALID\tat 16: expected a timestamp t'...' after START but found a string", "VALID"),
        as21.lines());
  }

  @Test
  void checkPattern_unknownSpecVersion_isAUsageError() {
    Run r = run("", "stix", "check-pattern", "--spec-version", "2.2");

    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--spec-version must be 2.1 or 2.0, not '2.2'"), r.err());
  }

  @Test
  void checkPattern_controlCharactersInAValue_stayOnOneLine() {
    Run r = run("[ipv4-addr:value = '1.2.3.4\u000b\u001b[2J']\n", "stix", "check-pattern");

    assertEquals(1, r.lines().size(), r.out());
    assertTrue(
        r.lines()
            .get(0)
            .startsWith("INVALID\tat 19: '1.2.3.4\\u000b\\u001b[2J' is not a valid IPv4"),
        r.out());
  }

  @Test
  void checkPattern_stats_goToStandardError() {
    Run r = run("[a:b = 1]\n[a:b =\n", "stix", "check-pattern", "--stats");

    assertEquals(
        List.of(
            "VALID",
            "INVALID\tat 6: expected a constant (string, number, true, false, t'...', b'...' or"
                + " h'...') but found end of pattern"),
        r.lines());
    assertTrue(r.err().startsWith("checked 2 patterns (1 invalid) in "), r.err());
  }

  @Test
  void checkPattern_endlessLine_isRefusedAsTooLong_andTheNextLineIsStillChecked() {
    String endless = "[a:b = '" + "x".repeat(1 << 20) + "']";

    Run r = run(endless + "\r\n[a:b = 1]\r[a:b = 2]", "stix", "check-pattern");

    assertEquals(
        List.of("INVALID\tat 16384: pattern is longer than 16384 characters", "VALID", "VALID"),
        r.lines());
  }

  @Test
  void checkPattern_manyLines_keepTheirOrder() {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      in.append(i % 3 == 0 ? "[a:b = " + i + "]" : "[a:b = " + i).append('\n');
    }

    List<String> verdicts = run(in.toString(), "stix", "check-pattern").lines();

    assertEquals(10_000, verdicts.size());
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i % 3 == 0, verdicts.get(i).equals("VALID"), i + ": " + verdicts.get(i));
    }
  }

  @Test
  void checkPattern_emptyInput_printsNothing() {
    Run r = run("", "stix", "check-pattern");

    assertEquals(0, r.exit());
    assertEquals("", r.out());
  }

  @Test
  void checkPattern_overTheReferenceLists_acceptsTheValidAndRefusesTheInvalid() throws IOException {
    Path patterns = SharedTestData.require("patterns");
    List<String> valid = Files.readAllLines(patterns.resolve("valid.txt"), StandardCharsets.UTF_8);
    List<String> invalid =
        Files.readAllLines(patterns.resolve("invalid.txt"), StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(valid);
    all.addAll(invalid);

    Run r = run(String.join("\n", all) + "\n", "stix", "check-pattern");

    assertEquals(0, r.exit());
    List<String> verdicts = r.lines();
    assertEquals(all.size(), verdicts.size());
    for (int i = 0; i < all.size(); i++) {
      String expected = i < valid.size() ? "VALID" : "INVALID\t";
      assertTrue(verdicts.get(i).startsWith(expected), all.get(i) + " -> " + verdicts.get(i));
    }
  }

  @Test
  void validate_validBundle_exitsZero() throws IOException {
    Path file =
        write(
            "ok.json",
            StixFixtures.bundle(
                "[ipv4-addr:value = '192.0.2.1']", "[domain-name:value = 'evil.example']"));

    Run r = run("", "stix", "validate", file.toString());

    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(List.of(file + ": 2 objects valid, 0 invalid"), r.lines());
  }

  @Test
  void validate_invalidObjects_exitOne_andAreListedWithPositionIdAndReason() throws IOException {
    Path file =
        write(
            "some.json",
            StixFixtures.bundleOfJson(
                List.of(
                    StixFixtures.indicator(0, "[ipv4-addr:value = '192.0.2.1']"),
                    StixFixtures.indicator(1, "[ipv4-addr:value = '192.0.2.1'"),
                    "{\"type\":\"indicator\",\"spec_version\":\"2.1\"}")));

    Run r = run("", "stix", "validate", file.toString());

    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(
        List.of(
            file
                + ": objects[1] "
                + StixFixtures.indicatorId(1)
                + ": property 'pattern' is not a valid STIX pattern: at 30: expected ']' or"
                + " 'AND'/'OR' after a comparison but found end of pattern",
            file + ": objects[2] (no valid id): missing required property 'id'",
            file + ": 1 objects valid, 2 invalid"),
        r.lines());
  }

  @Test
  void validate_missingOrNonJsonFile_exitsTwo_andStillChecksTheOthers() throws IOException {
    Path ok = write("ok.json", StixFixtures.bundle("[ipv4-addr:value = '192.0.2.1']"));
    Path notJson = write("notjson.json", "this is not JSON");
    Path missing = dir.resolve("missing.json");

    Run r = run("", "stix", "validate", missing.toString(), notJson.toString(), ok.toString());

    assertEquals(2, r.exit());
    assertTrue(r.err().contains(missing + ": cannot read: no such file"), r.err());
    assertTrue(r.err().contains(notJson + ": not a STIX bundle: malformed JSON"), r.err());
    assertTrue(r.out().contains(ok + ": 1 objects valid, 0 invalid"), r.out());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "misp-stix-test_objects_collection_stix21.json, 0, 18, 0",
    "oasis-cti-documentation-apt1.json, 0, 76, 0",
    "oasis-cti-documentation-indicator-for-malicious-url.json, 0, 3, 0",
    "oasis-cti-documentation-poisonivy.json, 0, 155, 0",
    "oasis-json-schemas-indicators-for-C2-with-COA.json, 0, 8, 0",
    "oasis-json-schemas-malicious-email-indicator-with-attachment.json, 0, 6, 0",
    "unit42-2024-04-12-MidnightEclipse-STIX20.json, 0, 31, 0"
  })
  void validate_sharedBundles_giveTheExpectedCounts(String name, int exit, int valid, int invalid) {
    Path file = SharedTestData.require("stix").resolve(name);

    Run r = run("", "stix", "validate", file.toString());

    assertEquals(exit, r.exit(), r.err());
    List<String> lines = r.lines();
    assertEquals(
        file + ": " + valid + " objects valid, " + invalid + " invalid",
        lines.get(lines.size() - 1));
    assertEquals(invalid, lines.size() - 1, r.out());
  }

  @Test
  void validate_medallionData_isNotABundle() {
    Path file = SharedTestData.require("stix").resolve("medallion-default_data.json");

    Run r = run("", "stix", "validate", file.toString());

    assertEquals(2, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith(file + ": not a STIX bundle: the bundle has no 'type'"), r.err());
  }

  @Test
  void validate_noFile_isBadUsage() {
    assertEquals(2, run("", "stix", "validate").exit());
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }
}
