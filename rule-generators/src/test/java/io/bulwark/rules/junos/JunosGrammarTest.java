package io.bulwark.rules.junos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.rules.testing.GoldenCase;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker accepts the statement forms Bulwark emits and nothing near them. */
class JunosGrammarTest {

  private static final String TERM = "set firewall family inet filter bulwark-in term cm1-src ";

  @Test
  void check_listAndTerm_countsStatements() {
    String text =
        "set policy-options prefix-list bulwark-cm1-v4 192.0.2.0/24\n"
            + TERM
            + "from source-prefix-list bulwark-cm1-v4\n"
            + TERM
            + "then discard\n"
            + "insert firewall family inet filter bulwark-in term cm1-src before term accept-all\n";

    assertEquals(4, JunosGrammar.check(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "set policy-options prefix-list bulwark-cm1-v4 192.0.2.1\n",
        "set policy-options prefix-list bulwark-cm1-v4 192.0.2.1/24\n",
        "set policy-options prefix-list bulwark-cm1-v4 2001:db8::/32\n",
        "set policy-options prefix-list bulwark-cm1-v6 ::ffff:192.0.2.1/128\n",
        "set policy-options prefix-list bulwark-cm1-v4 192.0.2.0/24; delete firewall\n",
        "set policy-options prefix-list bulwark-cm1-v4\n",
        TERM + "from source-prefix-list bulwark-cm1-v6\n",
        TERM + "from next-header tcp\n",
        TERM + "from destination-port 70000\n",
        TERM + "then reject\n",
        TERM + "then discard\n\n",
        TERM + "then discard",
        "set firewall family inet filter other term cm1-src then discard\n",
        "delete firewall\n",
        "set system root-authentication plain-text-password\n",
        "insert firewall family inet filter bulwark-in term cm1-src after term accept-all\n"
      })
  void check_nearMiss_isRejected(String text) {
    assertThrows(AssertionError.class, () -> JunosGrammar.check(text));
  }

  static Stream<GoldenCase> goldenCases() {
    return GoldenCase.all(JunosGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void check_goldenExpectedFile_acceptsEveryLine(GoldenCase golden) {
    assertEquals(golden.expected().split("\n").length, JunosGrammar.check(golden.expected()));
  }
}
