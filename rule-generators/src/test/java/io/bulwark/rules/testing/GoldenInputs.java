package io.bulwark.rules.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermExtractor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden-file cases of any target: {@code <folder>/<name>.json} holds countermeasures as STIX
 * patterns (the format of the nftables cases: {@code {"generation": n, "countermeasures": [{"id":
 * n, "action": "BLOCK", "patterns": [...]}]}}) and {@code <name>.expected} the exact text. Patterns
 * go through the real parser and extractor.
 */
public final class GoldenInputs {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One case.
   *
   * @param name the file name without extension
   * @param input the countermeasures as the generator receives them
   * @param expected the expected text
   */
  public record Case(String name, RuleInput input, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private GoldenInputs() {}

  /** Loads every case under the test-resource folder {@code folder}, sorted by name. */
  public static List<Case> all(String folder) {
    Path directory = directory(folder);
    try (var files = Files.list(directory)) {
      List<Path> inputs = files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
      List<Case> cases = new ArrayList<>();
      for (Path input : inputs) {
        String name = input.getFileName().toString().replaceFirst("\\.json$", "");
        String expected =
            Files.readString(input.resolveSibling(name + ".expected"), StandardCharsets.UTF_8);
        cases.add(new Case(name, read(MAPPER.readTree(input.toFile())), expected));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one input in the golden format from {@code json}. */
  public static RuleInput read(JsonNode root) {
    List<CountermeasureTerms> countermeasures = new ArrayList<>();
    for (JsonNode cm : root.path("countermeasures")) {
      List<Term> terms = new ArrayList<>();
      for (JsonNode pattern : cm.path("patterns")) {
        PatternResult parsed = PatternParser.parse(pattern.textValue());
        if (!(parsed instanceof PatternResult.Parsed ok)) {
          throw new IllegalArgumentException("pattern does not parse: " + parsed);
        }
        Extraction extraction = TermExtractor.extract(ok.pattern());
        terms.addAll(extraction.terms());
      }
      countermeasures.add(
          new CountermeasureTerms(
              cm.path("id").longValue(), Action.valueOf(cm.path("action").textValue()), terms));
    }
    return new RuleInput(root.path("generation").longValue(), countermeasures);
  }

  private static Path directory(String folder) {
    URL url = GoldenInputs.class.getClassLoader().getResource(folder);
    if (url == null) {
      throw new IllegalStateException("test resources folder " + folder + "/ is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
