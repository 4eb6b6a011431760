package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bulwark.rules.testing.SharedTestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OASIS reference validator's own pass and fail cases, read in place from {@code
 * shared/testdata/patterns}: every valid line parses (and its canonical text parses back to the
 * same tree), every invalid line is refused, and where the reference names a position or a semantic
 * reason the error agrees. The strict parser is the one intake uses.
 */
class PatternInteropTest {

  private static final Pattern ANTLR_POSITION = Pattern.compile("line 1:(\\d+)\\.");
  private static final Pattern HASH = Pattern.compile("is not a valid (\\S+) hash");
  private static final Pattern DUPLICATE =
      Pattern.compile("Duplicate qualifier type encountered: (\\w+)");

  @Test
  void validPatterns_allParse_andRoundTrip() throws IOException {
    List<String> lines = lines("valid.txt");
    assertFalse(lines.isEmpty());
    List<String> failures = new ArrayList<>();
    for (String line : lines) {
      PatternResult result = PatternParser.parseStrict(line);
      if (result instanceof PatternResult.Failed failed) {
        failures.add(line + "\n    -> " + failed.error());
        continue;
      }
      org.junit.jupiter.api.Assertions.assertNotNull(result);
      var tree = ((PatternResult.Parsed) result).pattern();
      PatternResult again = PatternParser.parseStrict(tree.toString());
      if (!(again instanceof PatternResult.Parsed reparsed) || !reparsed.pattern().equals(tree)) {
        failures.add(line + "\n    -> canonical text " + tree + " gives " + again);
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " valid patterns failed:\n" + String.join("\n", failures));
    }
  }

  @Test
  void invalidPatterns_areAllRefused_withTheReferencePositionOrReason() throws IOException {
    List<String> rows = lines("invalid-expected-errors.tsv");
    List<String> invalid = lines("invalid.txt");
    assertEquals(invalid.size(), rows.size() - 1, "the TSV has a header and one row per pattern");
    List<String> failures = new ArrayList<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split("\t", -1);
      String line = cells[0];
      String expected = cells[1];
      assertTrue(invalid.contains(line), "TSV row not in invalid.txt: " + line);
      PatternResult result = PatternParser.parseStrict(line);
      if (!(result instanceof PatternResult.Failed failed)) {
        failures.add(line + "\n    -> accepted");
        continue;
      }
      String problem = gistMismatch(expected, failed.error());
      if (problem != null) {
        failures.add(line + "\n    -> " + failed.error() + "\n    " + problem);
      }
    }
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " invalid patterns were not refused as expected:\n"
              + String.join("\n", failures));
    }
  }

  @Test
  void invalidPatterns_outsideTheTsv_areRefusedToo() throws IOException {
    for (String line : lines("invalid.txt")) {
      assertInstanceOf(PatternResult.Failed.class, PatternParser.parseStrict(line), line);
    }
  }

  private static String gistMismatch(String expected, PatternError error) {
    Matcher position = ANTLR_POSITION.matcher(expected);
    if (position.find() && Integer.parseInt(position.group(1)) != error.position()) {
      return "expected the error at " + position.group(1) + " (" + expected + ")";
    }
    Matcher hash = HASH.matcher(expected);
    if (hash.find() && !error.message().contains("is not a valid " + hash.group(1) + " hash")) {
      return "expected a " + hash.group(1) + " hash error (" + expected + ")";
    }
    Matcher duplicate = DUPLICATE.matcher(expected);
    if (duplicate.find()
        && !error
            .message()
            .toLowerCase(Locale.ROOT)
            .contains(
                "duplicate qualifier type encountered: "
                    + duplicate.group(1).toLowerCase(Locale.ROOT))) {
      return "expected a duplicate " + duplicate.group(1) + " error (" + expected + ")";
    }
    return null;
  }

  private static List<String> lines(String name) throws IOException {
    Path file = SharedTestData.require("patterns").resolve(name);
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
