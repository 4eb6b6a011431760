package io.bulwark.rules.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Sinkhole;
import io.bulwark.rules.spi.Uncovered;
import io.bulwark.rules.stix.pattern.PatternParser;
import io.bulwark.rules.stix.pattern.PatternResult;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermExtractor;
import io.bulwark.rules.term.Unenforceable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One golden-file case under {@code src/test/resources/<target>/}: {@code <name>.json} holds
 * countermeasures as STIX patterns, {@code <name>.expected} the exact text the generator must emit
 * ({@link io.bulwark.rules.spi.GenerationResult.Rules#text()}, which for a target with several
 * files frames each file with its name). Patterns go through the real parser and extractor, so a
 * case covers the whole path from pattern to rules.
 *
 * <p>Input format: {@code {"generation": n, "countermeasures": [{"id": n, "action": "BLOCK",
 * "patterns": ["..."]}], "unenforceable": ["reason", ...]}}, where a SINKHOLE countermeasure also
 * has {@code "sinkhole": "host or address"}, and {@code unenforceable} lists
 * every reason the extractor must report across all patterns (absent means none). An optional
 * {@code "uncovered"} lists what the generator must leave out, each as {@code "<id> <term>:
 * <reason>"}, or {@code "<id> <term> (in part): <reason>"} for a term enforced in part (see {@link
 * #describe}).
 */
public record GoldenCase(
    String name,
    RuleInput input,
    List<String> unenforceable,
    List<String> uncovered,
    String expected) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public String toString() {
    return name;
  }

  /** Renders an uncovered term the way {@code "uncovered"} in a case lists it. */
  public static String describe(Uncovered uncovered) {
    return uncovered.countermeasureId()
        + " "
        + uncovered.term()
        + (uncovered.inPart() ? " (in part)" : "")
        + ": "
        + uncovered.reason();
  }

  /** Loads every case of {@code target}, sorted by name. */
  public static Stream<GoldenCase> all(String target) {
    Path directory = directory(target);
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> inputs = files.filter(path -> path.toString().endsWith(".json")).sorted().toList();
      List<GoldenCase> cases = new ArrayList<>();
      for (Path input : inputs) {
        cases.add(load(input));
      }
      return cases.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GoldenCase load(Path input) throws IOException {
    String name = input.getFileName().toString().replaceFirst("\\.json$", "");
    JsonNode root = MAPPER.readTree(input.toFile());
    List<CountermeasureTerms> countermeasures = new ArrayList<>();
    List<String> unenforceable = new ArrayList<>();
    for (JsonNode cm : root.path("countermeasures")) {
      List<Term> terms = new ArrayList<>();
      for (JsonNode pattern : cm.path("patterns")) {
        PatternResult parsed = PatternParser.parse(pattern.textValue());
        if (!(parsed instanceof PatternResult.Parsed ok)) {
          throw new IllegalArgumentException(name + ": pattern does not parse: " + parsed);
        }
        Extraction extraction = TermExtractor.extract(ok.pattern());
        terms.addAll(extraction.terms());
        extraction.unenforceable().stream().map(Unenforceable::reason).forEach(unenforceable::add);
      }
      Sinkhole sinkhole = cm.has("sinkhole") ? Sinkhole.parse(cm.path("sinkhole").textValue()) : null;
      countermeasures.add(
          new CountermeasureTerms(
              cm.path("id").longValue(),
              Action.valueOf(cm.path("action").textValue()),
              terms,
              sinkhole));
    }
    List<String> expectedUnenforceable = new ArrayList<>();
    root.path("unenforceable").forEach(reason -> expectedUnenforceable.add(reason.textValue()));
    if (!expectedUnenforceable.equals(unenforceable)) {
      throw new IllegalArgumentException(
          name + ": expected unenforceable " + expectedUnenforceable + " but got " + unenforceable);
    }
    List<String> uncovered = new ArrayList<>();
    root.path("uncovered").forEach(reason -> uncovered.add(reason.textValue()));
    Path expectedFile = input.resolveSibling(name + ".expected");
    // A missing file reads as null, so that GoldenWriter can render a new case for review and the
    // golden test of that case fails until the file exists.
    String expected =
        Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : null;
    RuleInput ruleInput = new RuleInput(root.path("generation").longValue(), countermeasures);
    return new GoldenCase(name, ruleInput, unenforceable, uncovered, expected);
  }

  private static Path directory(String target) {
    URL url = GoldenCase.class.getClassLoader().getResource(target);
    if (url == null) {
      throw new IllegalStateException("test resources folder " + target + "/ is missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
