package io.bulwark.rules.windowsfirewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.testing.GoldenCase;
import io.bulwark.rules.testing.TestInputs;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The checker rejects every small change that would alter what a generated script does. */
class PowerShellGrammarTest {

  private static final String SCRIPT = script();

  @ParameterizedTest
  @CsvSource(
      delimiter = '~',
      value = {
        "'192.0.2.1'~'192.0.2.1'; Remove-NetFirewallRule -All; '1.1.1.1'",
        "'192.0.2.1'~'192.0.2.01'",
        "'192.0.2.1'~'$(whoami)'",
        "'192.0.2.1'~\"192.0.2.1\"",
        "'445'~'0'",
        "-Action Block -Protocol TCP~-Action Allow -Protocol TCP",
        "-Direction Inbound -Action Block -Protocol Any~-Direction Outbound -Action Block"
            + " -Protocol Any",
        "| Out-Null~; Out-Null",
        "$ErrorActionPreference = 'Stop'~$ErrorActionPreference = 'Continue'",
        "-notcontains~-contains",
        "} else {~}"
      })
  void check_changedScript_isRejected(String from, String to) {
    int at = SCRIPT.indexOf(from);
    assertTrue(at >= 0, "the change applies: " + from);
    String changed = SCRIPT.substring(0, at) + to + SCRIPT.substring(at + from.length());

    assertThrows(AssertionError.class, () -> PowerShellGrammar.check(changed));
  }

  private static String script() {
    IpPrefix address = ((TermParse.Valid<IpPrefix>) IpPrefix.parse("192.0.2.1")).term();
    GenerationResult result =
        new WindowsFirewallGenerator()
            .generate(
                TestInputs.input(
                    TestInputs.block(
                        1, List.of(address, new PortTerm(Protocol.TCP, 445)))));
    String text = ((GenerationResult.Rules) result).text();
    PowerShellGrammar.check(text);
    return text;
  }

  static Stream<GoldenCase> goldenCases() {
    return GoldenCase.all(WindowsFirewallGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void check_goldenExpectedFile_acceptsEveryStatement(GoldenCase golden) {
    PowerShellGrammar.Script script = PowerShellGrammar.check(golden.expected());

    // preamble, end of the wanted list and removal (5) + per rule its name and five lines
    assertEquals(5 + 6 * script.rules().size(), script.statements());
  }
}
