package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.testing.GoldenCase;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each golden nftables file has the promised shape; that the generator renders it exactly is
 * checked for every target by {@link io.bulwark.rules.GoldenFilesTest}.
 */
class NftablesGoldenTest {

  static Stream<GoldenCase> cases() {
    return GoldenCase.all(NftablesGenerator.ID);
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
