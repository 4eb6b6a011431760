package io.bulwark.rules.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.SortedDifference;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.IpPrefixes;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixTallyTest {

  @Test
  void apply_randomNestedChanges_matchesNormalisingTheWholeMultiset() {
    for (IpPrefix.Family family : IpPrefix.Family.values()) {
      Random random = new Random(5);
      List<IpPrefix> held = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        held.add(randomPrefix(random, family));
      }
      PrefixTally tally = new PrefixTally(family);
      tally.addAll(held);
      assertEquals(IpPrefixes.normalise(held), tally.normalised());
      int changed = 0;
      for (int step = 0; step < 300; step++) {
        List<IpPrefix> removed = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0 && !held.isEmpty(); i--) {
          removed.add(held.remove(random.nextInt(held.size())));
        }
        List<IpPrefix> added = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) {
          added.add(randomPrefix(random, family));
        }
        List<IpPrefix> before = IpPrefixes.normalise(tally.normalised());
        held.addAll(added);
        List<IpPrefix> after = IpPrefixes.normalise(held);

        ElementChange<IpPrefix> change = tally.apply(removed, added);

        assertEquals(SortedDifference.onlyIn(before, after), change.gone(), "step " + step);
        assertEquals(SortedDifference.onlyIn(after, before), change.came(), "step " + step);
        assertEquals(after, tally.normalised(), "step " + step);
        assertEquals(after.size(), tally.size(), "step " + step);
        changed += change.gone().size() + change.came().size();
      }
      assertTrue(changed > 1000, "the walk changes many elements: " + changed);
    }
  }

  @Test
  void addAll_duplicates_areHeldUntilTheLastOccurrenceGoes() {
    IpPrefix address = prefix("192.0.2.1");
    PrefixTally tally = new PrefixTally(IpPrefix.Family.V4);
    tally.addAll(List.of(address, address, prefix("192.0.2.2")));

    assertEquals(List.of(), tally.apply(List.of(address), List.of()).gone());
    assertEquals(List.of(address), tally.apply(List.of(address), List.of()).gone());
    assertEquals(0, tally.count(address));
  }

  @Test
  void addAll_otherFamily_isRefusedNamingThePrefix() {
    PrefixTally tally = new PrefixTally(IpPrefix.Family.V4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tally.addAll(List.of(prefix("::1"))));
    assertEquals("::1 is not of family V4", e.getMessage());
  }

  /**
   * Prefixes from a small space, half of them addresses, so that many nest, repeat and cover each
   * other without one covering everything for long.
   */
  private static IpPrefix randomPrefix(Random random, IpPrefix.Family family) {
    int length = random.nextBoolean() ? 32 : new int[] {24, 26, 28, 30}[random.nextInt(4)];
    String text =
        family == IpPrefix.Family.V4
            ? "10.0." + random.nextInt(16) + "." + random.nextInt(256)
            : "2001:db8::" + Integer.toHexString(random.nextInt(4096));
    int bits = family == IpPrefix.Family.V4 ? length : 96 + length;
    return prefix(text).widen(bits);
  }

  private static IpPrefix prefix(String text) {
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }
}
