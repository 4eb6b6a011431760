package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Tables above the full-compare limit, in a real namespace: element deltas and replacements. */
class NftablesLargeTableIT extends NamespacedApplierIT {

  private static final int SIZE = NftablesApplier.FULL_COMPARE_LIMIT + 2_000;
  private static final String[] ADDRESSES = GeneratedRules.addresses(SIZE + 100);

  /** SIZE addresses from {@code offset}, in a set with or without intervals. */
  private static String rules(int offset, boolean interval) {
    StringBuilder elements = new StringBuilder();
    for (int i = offset; i < offset + SIZE; i++) {
      elements.append(i == offset ? "" : (i % 4 == 0 ? ",\n\t\t\t     " : ", ")).append(ADDRESSES[i]);
    }
    return "table inet bulwark {\n"
        + "\tset cm1_v4 {\n"
        + "\t\ttype ipv4_addr\n"
        + (interval ? "\t\tflags interval\n" : "")
        + "\t\telements = { " + elements + " }\n"
        + "\t}\n\n"
        + "\tchain input {\n"
        + "\t\ttype filter hook input priority filter - 10; policy accept;\n"
        + "\t\tip saddr @cm1_v4 counter drop comment \"cm1\"\n"
        + "\t}\n"
        + "}\n";
  }

  @Test
  void changedElements_goInOneTransaction_andOnlyThoseChange() throws Exception {
    assertTrue(summary(applier.apply(rules(0, false))).endsWith("table replaced"));

    String outcome = summary(applier.apply(rules(100, false)));

    assertTrue(outcome.endsWith("100 added, 100 deleted in one transaction"), outcome);
    assertTrue(member(ADDRESSES[SIZE + 99]));
    assertTrue(member(ADDRESSES[100]));
    assertTrue(!member(ADDRESSES[99]));
    assertTrue(!member(ADDRESSES[0]));
    String listed = netns.nft("list", "set", "inet", "bulwark", "cm1_v4");
    assertEquals(SIZE, NftElementLists.of(NftLargeTable.ourTable(listed).orElseThrow()).elementCount());
  }

  @Test
  void anElementRemovedByHand_makesTheDeltaFail_andTheTableIsReplacedWhole() throws Exception {
    applier.apply(rules(0, false));
    netns.nft("delete", "element", "inet", "bulwark", "cm1_v4", "{ " + ADDRESSES[5] + " }");

    String outcome = summary(applier.apply(rules(100, false)));

    assertTrue(outcome.endsWith("table replaced"), outcome);
    assertTrue(member(ADDRESSES[SIZE + 50]));
    assertTrue(!member(ADDRESSES[5]));
  }

  @Test
  void intervalSets_areReplacedWhole() throws Exception {
    applier.apply(rules(0, true));

    String outcome = summary(applier.apply(rules(100, true)));

    assertTrue(outcome.endsWith("table replaced"), outcome);
    assertTrue(member(ADDRESSES[SIZE + 99]));
    assertTrue(!member(ADDRESSES[0]));
  }

  @Test
  void aNewApplierTold_theAppliedRules_goesOnWithDeltas() throws Exception {
    applier.apply(rules(0, false));
    NftablesApplier restarted = new NftablesApplier(netns.nft(), dataDir);
    restarted.known(rules(0, false));

    String outcome = summary(restarted.apply(rules(100, false)));

    assertTrue(outcome.endsWith("in one transaction"), outcome);
  }

  @Test
  void snapshotAndRestore_ofALargeTable_needNoListing() throws Exception {
    applier.apply(rules(0, false));
    String snapshot = applier.snapshot().orElseThrow();
    assertEquals(rules(0, false), snapshot);
    applier.apply(rules(100, false));

    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(snapshot));

    assertTrue(member(ADDRESSES[0]));
    assertTrue(!member(ADDRESSES[SIZE + 99]));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(0, false)));
  }

  @Test
  void snapshotOfALargeTable_removedByHand_isTheLastRules_andRestorePutsThemBack() throws Exception {
    applier.apply(rules(0, false));
    netns.nft("delete", "table", "inet", "bulwark");

    String snapshot = applier.snapshot().orElseThrow();

    assertEquals(rules(0, false), snapshot);
    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(snapshot));
    assertTrue(member(ADDRESSES[0]));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(0, false)));
  }

  @Test
  void driftCheck_seesAChangedStructure_cheaply() throws Exception {
    applier.apply(rules(0, false));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(0, false)));

    netns.nft("add", "rule", "inet", "bulwark", "input", "tcp", "dport", "22", "accept");
    LiveState live = applier.inspect(rules(0, false));

    LiveState.Drifted drifted = assertInstanceOf(LiveState.Drifted.class, live);
    assertTrue(drifted.difference().contains("dport 22"), drifted.difference());
    netns.nft("delete", "table", "inet", "bulwark");
    assertNotEquals(
        LiveState.InSync.class, applier.inspect(rules(0, false)).getClass());
  }
  @Test
  void aSetOfSixtyFiveThousandOrMore_isLoadedWithASizeHint_readBackInSync_andStillTakesDeltas() throws Exception {
    String[] many = GeneratedRules.addresses(NftSetSizes.FROM + 10);
    String big = "table inet bulwark {\n\tset cm1_v4 {\n\t\ttype ipv4_addr\n\t\telements = { "
        + String.join(", ", many) + " }\n\t}\n}\n";
    assertTrue(summary(applier.apply(big)).endsWith("table replaced"));

    String terse = netns.nft("-t", "list", "table", "inet", "bulwark");
    assertTrue(terse.contains("\t\tsize " + NftSetSizes.size(many.length) + "\n"), terse);
    assertInstanceOf(LiveState.InSync.class, applier.inspect(big), "the hint is part of what was meant");
    String smaller = big.replace("{ " + many[0] + ", ", "{ ");
    assertTrue(summary(applier.apply(smaller)).endsWith("0 added, 1 deleted in one transaction"));
  }

  @Test
  void anElementCheck_seesElementsAddedAndRemovedByHand_andOtherChecksOnlyTheStructure() throws Exception {
    NftablesApplier checking = new NftablesApplier(netns.nft(), dataDir, Duration.ofSeconds(30), Duration.ZERO);
    checking.apply(rules(0, false));
    assertInstanceOf(LiveState.InSync.class, checking.inspect(rules(0, false)));
    netns.nft("add", "element", "inet", "bulwark", "cm1_v4", "{ 203.0.113.77 }");
    netns.nft("delete", "element", "inet", "bulwark", "cm1_v4", "{ " + ADDRESSES[7] + " }");

    LiveState live = checking.inspect(rules(0, false));

    String difference = assertInstanceOf(LiveState.Drifted.class, live).difference();
    assertEquals("set cm1_v4: 1 element not put there by bulwark (203.0.113.77); set cm1_v4: 1 element"
        + " missing (" + ADDRESSES[7] + ")", difference);
    // The default checks elements once a day: a check now sees the structure only.
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(0, false)));
  }
}
