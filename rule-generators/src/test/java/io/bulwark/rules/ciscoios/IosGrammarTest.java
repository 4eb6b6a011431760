package io.bulwark.rules.ciscoios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.rules.testing.GoldenCase;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The checker accepts the statement forms Bulwark emits and nothing near them. */
class IosGrammarTest {

  private static final String GROUP = "object-group network BULWARK-CM1-V4\n";

  @Test
  void check_groupAndList_countsStatements() {
    String text =
        GROUP
            + " host 192.0.2.1\n 10.0.0.0 255.0.0.0\nexit\nip access-list extended BULWARK-IN\n"
            + " remark bulwark cm1 block\n 10 deny ip object-group BULWARK-CM1-V4 any\n"
            + " 20 permit ip any any\nexit\n";

    assertEquals(9, IosGrammar.check(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        GROUP + " host 192.0.2.1; no ip access-list extended BULWARK-IN\nexit\n",
        GROUP + " host 192.0.2.01\nexit\n",
        GROUP + " 10.0.0.0 255.0.255.0\nexit\n",
        GROUP + " 10.0.0.1 255.0.0.0\nexit\n",
        GROUP + " 192.0.2.1 255.255.255.255\nexit\n",
        GROUP + " host 2001:db8::1\nexit\n",
        GROUP + "\n host 192.0.2.1\nexit\n",
        GROUP + "\thost 192.0.2.1\nexit\n",
        GROUP + " host 192.0.2.1\n",
        GROUP + " host 192.0.2.1\nexit",
        "object-group network BULWARK-CM1-V6\n host ::ffff:192.0.2.1\nexit\n",
        "object-group network BULWARK-CM1-V6\n host 2001:DB8::1\nexit\n",
        "object-group network BULWARK-CM1-V6\n 2001:db8::1/128\nexit\n",
        "object-group network BULWARK-CM01-V4\nexit\n",
        "ip access-list extended BULWARK-IN\n remark bulwark cm1 block; permit\nexit\n",
        "ip access-list extended BULWARK-IN\n 10 permit ip any any log\nexit\n",
        "ip access-list extended BULWARK-IN\n 10 deny tcp any any eq 65536\nexit\n",
        "ip access-list extended BULWARK-IN\n 10 deny ipv6 object-group BULWARK-CM1-V6 any\nexit\n",
        "ip access-list extended BULWARK-IN\n sequence 10 permit ip any any\nexit\n",
        "ipv6 access-list BULWARK-IN6\n 10 permit ipv6 any any\nexit\n",
        "exit\n",
        "no ip access-list extended BULWARK-IN\n",
        "end\n"
      })
  void check_nearMiss_isRejected(String text) {
    assertThrows(AssertionError.class, () -> IosGrammar.check(text));
  }

  static Stream<GoldenCase> goldenCases() {
    return GoldenCase.all(CiscoIosGenerator.ID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void check_goldenExpectedFile_acceptsEveryLine(GoldenCase golden) {
    assertEquals(golden.expected().split("\n").length, IosGrammar.check(golden.expected()));
  }
}
