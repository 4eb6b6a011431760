package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftRulesetGuardTest {

  private static final String TABLE =
      "table inet bulwark {\n"
          + "\tchain input {\n"
          + "\t\ttype filter hook input priority filter - 10; policy accept;\n"
          + "\t\ttcp dport 445 counter drop comment \"cm1 { flush ruleset } # not a comment\"\n"
          + "\t}\n"
          + "}\n";

  @Test
  void oneBulwarkTable_withCommentsAndBlankLines_isAccepted() {
    assertEquals(Optional.empty(), NftRulesetGuard.check("# generated\n\n" + TABLE + "\n# end\n"));
  }

  @Test
  void flushRuleset_isRefused() {
    assertEquals(
        Optional.of(
            "only 'table inet bulwark { ... }' is allowed at top level, found"
                + " 'flush ruleset' on line 1"),
        NftRulesetGuard.check("flush ruleset\n" + TABLE));
  }

  @Test
  void secondTable_isRefused() {
    assertEquals(
        Optional.of(
            "only table inet bulwark may be defined, found 'table inet other'" + " on line 7"),
        NftRulesetGuard.check(TABLE + "table inet other {\n}\n"));
  }

  @Test
  void bulwarkTableTwice_isRefused() {
    assertEquals(
        Optional.of("table inet bulwark is defined a second time on line 7"),
        NftRulesetGuard.check(TABLE + "table inet bulwark {\n}\n"));
  }

  @Test
  void otherFamily_deleteAndAddCommands_areRefused() {
    assertEquals(
        Optional.of(
            "only table inet bulwark may be defined, found 'table ip bulwark'" + " on line 1"),
        NftRulesetGuard.check("table ip bulwark {\n}\n"));
    assertEquals(
        Optional.of(
            "only 'table inet bulwark { ... }' is allowed at top level, found"
                + " 'delete table inet filter' on line 7"),
        NftRulesetGuard.check(TABLE + "delete table inet filter\n"));
    assertEquals(
        Optional.of(
            "only 'table inet bulwark { ... }' is allowed at top level, found"
                + " 'add rule inet filter input drop' on line 7"),
        NftRulesetGuard.check(TABLE + "add rule inet filter input drop"));
  }

  @Test
  void includeOrDefine_insideTheTable_isRefused() {
    assertEquals(
        Optional.of("'include' is not allowed (line 2)"),
        NftRulesetGuard.check("table inet bulwark {\n\tinclude \"/etc/nftables.conf\"\n}\n"));
    assertEquals(
        Optional.of("'define' is not allowed (line 3)"),
        NftRulesetGuard.check("table inet bulwark {\n\tchain c {\n\t\tdefine x = 1\n\t}\n}\n"));
  }

  @Test
  void statementAfterSemicolon_isSeenToo() {
    assertEquals(
        Optional.of(
            "only 'table inet bulwark { ... }' is allowed at top level, found"
                + " 'flush ruleset' on line 1"),
        NftRulesetGuard.check("table inet bulwark { }; flush ruleset"));
  }

  @Test
  void emptyOrUnbalanced_isRefused() {
    assertEquals(
        Optional.of("the rule set does not define table inet bulwark"),
        NftRulesetGuard.check("# nothing\n"));
    assertEquals(
        Optional.of("cannot parse the rule set: line 1: '}' without a matching '{'"),
        NftRulesetGuard.check("}\n"));
  }
}
