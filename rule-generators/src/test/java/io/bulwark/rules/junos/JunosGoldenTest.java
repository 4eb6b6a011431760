package io.bulwark.rules.junos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.testing.GoldenInputs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each golden case renders exactly its expected file, which the strict grammar accepts. */
class JunosGoldenTest {

  private final JunosGenerator generator = new JunosGenerator();

  static List<GoldenInputs.Case> cases() {
    return GoldenInputs.all("junos");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generate_goldenCase_matchesExpectedFile(GoldenInputs.Case golden) {
    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, generator.generate(golden.input()));

    assertEquals(golden.expected(), rules.text());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void expectedFile_passesTheStrictGrammar(GoldenInputs.Case golden) {
    assertEquals(golden.expected().split("\n").length, JunosGrammar.check(golden.expected()));
  }
}
