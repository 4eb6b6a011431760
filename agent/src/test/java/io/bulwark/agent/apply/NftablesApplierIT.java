package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NftablesApplierIT extends NamespacedApplierIT {

  private static final String RULES =
      "table inet bulwark {\n"
          + "\tset cm1_v4 {\n"
          + "\t\ttype ipv4_addr\n"
          + "\t\tflags interval\n"
          + "\t\telements = { 198.51.100.0/24, 203.0.113.0/24, 192.0.2.10 }\n"
          + "\t}\n"
          + "\tchain input {\n"
          + "\t\ttype filter hook input priority filter - 10; policy accept;\n"
          + "\t\tip saddr @cm1_v4 counter drop comment \"cm1\"\n"
          + "\t\ttcp dport 445 counter drop comment \"cm1\"\n"
          + "\t}\n"
          + "\tchain output {\n"
          + "\t\ttype filter hook output priority filter - 10; policy accept;\n"
          + "\t\tip daddr @cm1_v4 counter drop comment \"cm1\"\n"
          + "\t}\n"
          + "}\n";

  @Test
  void apply_createsTheTable_andVerifiesIt() throws Exception {
    ApplyOutcome outcome = applier.apply(RULES);

    assertEquals(
        new ApplyOutcome.Applied("inet bulwark: 1 set (3 elements), 2 chains (3 rules)"), outcome);
    String listed = netns.nft("list", "table", "inet", "bulwark");
    assertTrue(
        listed.contains("ip saddr @cm1_v4 counter packets 0 bytes 0 drop comment \"cm1\""), listed);
  }

  @Test
  void apply_twice_replacesTheWholeTable() throws Exception {
    applier.apply(RULES);

    String smaller = RULES.replace("\t\ttcp dport 445 counter drop comment \"cm1\"\n", "");
    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(smaller));

    assertFalse(netns.nft("list", "table", "inet", "bulwark").contains("dport 445"));
  }

  @Test
  void brokenRules_areRefusedByTheCheck_withNftsError_andThePreviousTableStays() throws Exception {
    applier.apply(RULES);
    String before = netns.nft("-s", "list", "table", "inet", "bulwark");

    ApplyOutcome outcome = applier.apply(RULES.replace("ip daddr @cm1_v4", "ip daddr @nope"));

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, outcome);
    assertTrue(failed.error().startsWith("nft -c refused the rule set: "), "refused by the check, before any load: " + failed.error());
    assertTrue(failed.error().contains("Error: No such file or directory"), failed.error());
    assertTrue(failed.error().contains("@nope"), failed.error());
    assertEquals(before, netns.nft("-s", "list", "table", "inet", "bulwark"));
  }

  @Test
  void otherTables_areLeftAlone() throws Exception {
    netns.nft("add", "table", "inet", "other");
    netns.nft("add", "chain", "inet", "other", "keep", "{ type filter hook input priority 0; }");
    netns.nft("add", "rule", "inet", "other", "keep", "tcp", "dport", "22", "accept");
    String other = netns.nft("list", "table", "inet", "other");

    assertInstanceOf(ApplyOutcome.Applied.class, applier.apply(RULES));

    assertEquals(other, netns.nft("list", "table", "inet", "other"));
  }

  @Test
  void refusedRules_neverReachNft() throws Exception {
    netns.nft("add", "table", "inet", "other");

    ApplyOutcome outcome = applier.apply("flush ruleset\n" + RULES);

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, outcome);
    assertTrue(
        failed.error().startsWith("refused: only 'table inet bulwark { ... }'"), failed.error());
    assertEquals(0, netns.nftResult("list", "table", "inet", "other").exitCode());
    assertNotEquals(0, netns.nftResult("list", "table", "inet", "bulwark").exitCode());
  }

  @Test
  void readBackDifference_failsAndRestoresThePreviousTable() throws Exception {
    applier.apply(RULES);
    String before = netns.nft("-s", "list", "table", "inet", "bulwark");
    // nft drops the redundant "meta l4proto tcp" when it prints the rule back.
    String respelled = RULES.replace("tcp dport 445", "meta l4proto tcp tcp dport 445");

    ApplyOutcome outcome = applier.apply(respelled);

    ApplyOutcome.Failed failed = assertInstanceOf(ApplyOutcome.Failed.class, outcome);
    assertTrue(
        failed
            .error()
            .startsWith(
                "read-back differs: chain input, rule 2: expected"
                    + " 'meta l4proto tcp tcp dport 445"),
        failed.error());
    assertTrue(failed.error().endsWith("; the previous table was restored"), failed.error());
    assertEquals(before, netns.nft("-s", "list", "table", "inet", "bulwark"));
  }

  @Test
  void readBackDifference_onAFreshHost_removesTheTableAgain() throws Exception {
    String respelled = RULES.replace("tcp dport 445", "meta l4proto tcp tcp dport 445");

    assertInstanceOf(ApplyOutcome.Failed.class, applier.apply(respelled));

    assertNotEquals(0, netns.nftResult("list", "table", "inet", "bulwark").exitCode());
  }
}
