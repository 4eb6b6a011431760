package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.testing.GoldenCase;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each golden case renders exactly its expected file, and the rendering has the promised shape. */
class NftablesGoldenTest {

  private final NftablesGenerator generator = new NftablesGenerator();

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(NftablesGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generate_goldenCase_matchesExpectedFile(GoldenCase golden) {
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(golden.input()));
    assertEquals(golden.expected(), rules.text());
    assertEquals(golden.uncovered(), rules.uncovered().stream().map(GoldenCase::describe).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generate_goldenCase_isOneTabIndentedTableEndingInNewline(GoldenCase golden) {
    String text = golden.expected();
    assertTrue(text.startsWith("table inet bulwark {\n"), "starts with the table");
    assertTrue(text.endsWith("\n}\n"), "ends with the table's brace and a newline");
    assertEquals(1, text.split("\ntable ", -1).length, "exactly one table");
    for (String line : text.split("\n")) {
      assertTrue(!line.startsWith(" ") && !line.endsWith(" "), "no space indentation: " + line);
    }
    assertTrue(!text.contains("flush"), "never flushes anything");
  }
}
