package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fixtures under {@code nft/} are what nft 1.0.6 printed for {@code input.nft}. */
class NftTableTextTest {

  private static final String INPUT = fixture("input.nft");
  private static final String LISTED = fixture("listed-stateless.nft");

  @Test
  void inputAndWhatNftPrintsBack_areEqual() {
    assertEquals(
        Optional.empty(), NftTableText.parse(INPUT).firstDifference(NftTableText.parse(LISTED)));
  }

  @Test
  void listingWithCounterValues_isEqualToo() {
    NftTableText withCounters = NftTableText.parse(fixture("listed-with-counters.nft"));

    assertEquals(Optional.empty(), NftTableText.parse(INPUT).firstDifference(withCounters));
  }

  @Test
  void missingElement_isTheDifference() {
    String listed = LISTED.replace(",\n\t\t\t     203.0.113.0/24 }", " }");

    assertEquals(
        Optional.of("set cm1_v4: element 203.0.113.0/24 is missing"),
        NftTableText.parse(INPUT).firstDifference(NftTableText.parse(listed)));
  }

  @Test
  void extraElement_isTheDifference() {
    String listed = LISTED.replace("192.0.2.10,", "192.0.2.10, 192.0.2.99,");

    assertEquals(
        Optional.of("set cm1_v4: unexpected element 192.0.2.99"),
        NftTableText.parse(INPUT).firstDifference(NftTableText.parse(listed)));
  }

  @Test
  void changedRule_namesChainAndPosition() {
    String listed = LISTED.replace("tcp dport 445 counter drop", "tcp dport 446 counter drop");

    assertEquals(
        Optional.of(
            "chain input, rule 2: expected 'tcp dport 445 counter drop comment"
                + " \"cm1\"', found 'tcp dport 446 counter drop comment \"cm1\"'"),
        NftTableText.parse(INPUT).firstDifference(NftTableText.parse(listed)));
  }

  @Test
  void missingRuleAndChain_andOtherHook_areDifferences() {
    NftTableText input = NftTableText.parse(INPUT);

    String noRule = LISTED.replace("\t\ttcp dport 445 counter drop comment \"cm1\"\n", "");
    assertEquals(
        Optional.of("chain input: rule 2 'tcp dport 445 counter drop comment \"cm1\"' is missing"),
        input.firstDifference(NftTableText.parse(noRule)));

    String extraChain =
        LISTED.replace("\tchain output {", "\tchain spare {\n\t}\n\tchain output {");
    assertEquals(
        Optional.of("unexpected chain spare"),
        input.firstDifference(NftTableText.parse(extraChain)));

    String otherPriority =
        LISTED.replace("hook output priority filter - 10", "hook output priority filter");
    assertEquals(
        Optional.of(
            "chain output: expected hook 'type filter hook output priority -10 policy"
                + " accept', found 'type filter hook output priority 0 policy accept'"),
        input.firstDifference(NftTableText.parse(otherPriority)));
  }

  @Test
  void spellingsNftNormalises_compareEqual() {
    String written =
        "table inet bulwark {\n"
            + "  set s { type inet_service; elements = { 445,139 }; }\n"
            + "  chain input { type filter hook input priority -10\n"
            + "    ip saddr {9.9.9.9,1.2.3.4} counter   drop # why\n"
            + "  }\n"
            + "  chain forward { type filter hook forward priority 0; policy drop; }\n"
            + "}\n";
    String printed =
        "table inet bulwark {\n"
            + "\tset s {\n\t\ttype inet_service\n\t\telements = { 139, 445 }\n\t}\n\n"
            + "\tchain input {\n\t\ttype filter hook input priority filter - 10; policy accept;\n"
            + "\t\tip saddr { 1.2.3.4, 9.9.9.9 } counter packets 3 bytes 180 drop\n\t}\n\n"
            + "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n\t}\n"
            + "}\n";

    assertEquals(
        Optional.empty(), NftTableText.parse(written).firstDifference(NftTableText.parse(printed)));
  }

  @Test
  void summary_countsWhatWasReadBack() {
    assertEquals(
        "inet bulwark: 1 set (3 elements), 2 chains (3 rules)",
        NftTableText.parse(LISTED).summary());
  }

  @Test
  void unbalancedText_isRefusedWithTheLine() {
    NftTextException e =
        assertThrows(
            NftTextException.class,
            () -> NftTableText.parse("table inet bulwark {\n\tchain input {\n"));

    assertEquals("'chain input {' opened on line 2 is never closed", e.getMessage());
  }

  private static String fixture(String name) {
    try (InputStream in = NftTableTextTest.class.getResourceAsStream("/nft/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
