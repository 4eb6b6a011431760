package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.delta.LineDelta;
import io.bulwark.rules.nftables.NftablesGenerator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Large tables changed by the controller's line deltas, in a real namespace: only the elements the
 * delta names go to nft, and the live table is what the full rules say.
 */
class NftablesLineChangeIT extends NamespacedApplierIT {

  private static final int SIZE = NftablesApplier.FULL_COMPARE_LIMIT + 2_000;
  private static final String[] ADDRESSES = GeneratedRules.addresses(SIZE + 200);
  private static final NftablesGenerator GENERATOR = new NftablesGenerator();

  /** The generator's rules for SIZE addresses from {@code offset}. */
  private static String rules(int offset) {
    return GeneratedRules.text(
        GENERATOR, GeneratedRules.block(1, Arrays.copyOfRange(ADDRESSES, offset, offset + SIZE)));
  }

  private ApplyOutcome applyChange(String base, String target) throws Exception {
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(base, LineDelta.between(base, target));
    assertEquals(target, applied.text());
    return applier.apply(applied::text, new LineChange(base, applied.edits()));
  }

  @Test
  void aRunOfLineChanges_putsOnlyTheChangedElements_andTheTableStaysExact() throws Exception {
    assertTrue(summary(applier.apply(rules(0))).endsWith("table replaced"));

    String first = summary(applyChange(rules(0), rules(100)));
    String second = summary(applyChange(rules(100), rules(150)));

    assertTrue(first.contains("100 added, 100 deleted by line delta"), first);
    assertTrue(second.contains("50 added, 50 deleted by line delta"), second);
    assertTrue(member(ADDRESSES[SIZE + 149]));
    assertTrue(member(ADDRESSES[150]));
    assertFalse(member(ADDRESSES[149]));
    assertFalse(member(ADDRESSES[0]));
    String listed = netns.nft("list", "set", "inet", "bulwark", "cm1_v4");
    assertEquals(SIZE, NftElementLists.of(NftLargeTable.ourTable(listed).orElseThrow()).elementCount());
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(150)));
  }

  @Test
  void aLineChangeWhoseRulesCannotBeMade_putsThePreviousTableBack_andTheNextChangeStartsFromIt() throws Exception {
    applier.apply(rules(0));
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(rules(0), LineDelta.between(rules(0), rules(100)));

    ApplyOutcome outcome = applier.apply(() -> {
      throw new IllegalStateException("the rules could not be rebuilt from the delta: out of memory");
    }, new LineChange(rules(0), applied.edits()));

    String error = assertInstanceOf(ApplyOutcome.Failed.class, outcome).error();
    assertTrue(error.endsWith("; the previous table was put back"), error);
    assertTrue(member(ADDRESSES[0]));
    assertFalse(member(ADDRESSES[SIZE + 99]), "the change is undone");
    String next = summary(applyChange(rules(0), rules(50)));
    assertTrue(next.contains("50 added, 50 deleted by line delta"), next);
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(50)));
  }

  @Test
  void theSnapshotAfterALineChange_restoresThoseRules() throws Exception {
    applier.apply(rules(0));
    applyChange(rules(0), rules(100));
    String snapshot = applier.snapshot().orElseThrow();
    assertEquals(rules(100), snapshot);
    applyChange(rules(100), rules(200));

    assertInstanceOf(ApplyOutcome.Applied.class, applier.restore(snapshot));

    assertTrue(member(ADDRESSES[100]));
    assertFalse(member(ADDRESSES[SIZE + 199]));
    assertInstanceOf(LiveState.InSync.class, applier.inspect(rules(100)));
  }

  @Test
  void aLineChangeOverATableChangedByHand_isAppliedWhole() throws Exception {
    applier.apply(rules(0));
    netns.nft("delete", "element", "inet", "bulwark", "cm1_v4", "{ " + ADDRESSES[5] + " }");

    String outcome = summary(applyChange(rules(0), rules(100)));

    assertTrue(outcome.endsWith("table replaced"), outcome);
    assertTrue(member(ADDRESSES[SIZE + 99]));
    assertFalse(member(ADDRESSES[99]));
  }

  @Test
  void aLineChangeFromOtherRules_isAppliedAsWholeRules() throws Exception {
    applier.apply(rules(0));

    String outcome = summary(applyChange(rules(50), rules(100)));

    assertTrue(outcome.endsWith("in one transaction") || outcome.endsWith("table replaced"), outcome);
    assertFalse(outcome.contains("by line delta"), outcome);
    assertTrue(member(ADDRESSES[SIZE + 99]));
    assertFalse(member(ADDRESSES[0]));
  }
}
