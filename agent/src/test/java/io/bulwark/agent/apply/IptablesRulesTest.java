package io.bulwark.agent.apply;

import static io.bulwark.agent.testing.GeneratedRules.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.rules.iptables.IptablesGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IptablesRulesTest {

  private static final String RULES =
      GeneratedRules.text(new IptablesGenerator(), block(4, "198.51.100.0/24", "2001:db8::1", "tcp/445"));

  @Test
  void parse_generatorOutput_readsSetsAndRules() {
    IptablesRules rules = IptablesRules.parse(RULES);

    assertEquals(java.util.List.of("bw-cm4-v4", "bw-cm4-v6", "bw-cm4-tcp"), java.util.List.copyOf(rules.sets().keySet()));
    assertEquals(3, rules.elementCount());
    assertEquals(6, rules.v4().size());
    assertEquals(6, rules.v6().size());
    assertEquals(RULES, rules.text());
  }

  @Test
  void parse_ipsetSaveOutput_isAccepted() {
    String saved =
        RULES.replace(
            "create bw-cm4-v4 hash:net family inet maxelem 65536",
            "create bw-cm4-v4 hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xe3b0401d");

    assertEquals(3, IptablesRules.parse(saved).elementCount());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "add bw-cm4-tcp 445|flush|are allowed, not",
        "add bw-cm4-tcp 445|destroy bw-cm4-tcp|are allowed, not",
        "add bw-cm4-tcp 445|add other 1.2.3.4|are allowed, not",
        "add bw-cm4-tcp 445|add bw-tmp-1 1.2.3.4|are allowed, not",
        "add bw-cm4-tcp 445|add bw-cm9-v4 1.2.3.4|set bw-cm9-v4 is not created before",
        "add bw-cm4-tcp 445|add bw-cm4-tcp 445 -exist|are allowed, not",
        "add bw-cm4-tcp 445|add bw-cm4-tcp $(reboot)|bad element",
        "create bw-cm4-tcp bitmap:port|create bw-cm4-tcp list:set|set type list:set",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-A INPUT -j ACCEPT\\n-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|only '-A BULWARK-INPUT|FORWARD|OUTPUT ...'",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-F INPUT\\n-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|only '-A BULWARK",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-A BULWARK-INPUT -j BULWARK-OUTPUT\\n-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|jump target BULWARK-OUTPUT is not allowed",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-A BULWARK-INPUT -m set --match-set theirs src|rule matches set theirs",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src -g DOCKER|jump target DOCKER",
        "-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src|-A BULWARK-INPUT -m set --match-set bw-cm4-v4 src -j DROP ; reboot|characters that are not allowed",
        "*filter|*nat|must be one '*filter' table",
        ":BULWARK-OUTPUT - [0:0]|:OTHER - [0:0]|only '-A BULWARK",
      })
  void parse_anythingBeyondOwnSetsAndChains_isRefused(String find, String replace, String reason) {
    String hostile = RULES.replaceFirst(java.util.regex.Pattern.quote(find), replace.replace("\\n", "\n").replace("$", "\\$"));
    if (hostile.equals(RULES)) {
      throw new AssertionError("the case does not change the rules: " + find);
    }

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IptablesRules.parse(hostile));

    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void parse_missingOrExtraFiles_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> IptablesRules.parse("create bw-a hash:net\n"));
    assertThrows(
        IllegalArgumentException.class, () -> IptablesRules.parse(RULES + "==> bulwark.extra <==\nx\n"));
  }
}
