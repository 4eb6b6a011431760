package io.bulwark.rules.windowsfirewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.testing.GoldenInputs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each golden case renders exactly its expected file, which the strict grammar accepts. */
class WindowsFirewallGoldenTest {

  private final WindowsFirewallGenerator generator = new WindowsFirewallGenerator();

  static List<GoldenInputs.Case> cases() {
    return GoldenInputs.all("windows-firewall");
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
    PowerShellGrammar.Script script = PowerShellGrammar.check(golden.expected());

    // preamble, end of the wanted list and removal (5) + per rule its name and five lines
    assertEquals(5 + 6 * script.rules().size(), script.statements());
  }
}
