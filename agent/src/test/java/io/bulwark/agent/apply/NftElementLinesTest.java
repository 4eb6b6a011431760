package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import io.bulwark.rules.nftables.NftablesGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NftElementLinesTest {

  private static final NftablesGenerator GENERATOR = new NftablesGenerator();
  private static final Pattern COMMAND =
      Pattern.compile("(add|delete) element inet bulwark (\\S+) \\{ ([^}]*) \\}");

  private static String rules(String... values) {
    return GeneratedRules.text(GENERATOR, GeneratedRules.block(1, values));
  }

  private static NftElementLines linesOf(String rules) {
    return NftElementLines.of(NftElementLists.of(rules));
  }

  private static NftElementLines.Change change(String base, String target) throws Exception {
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(base, LineDelta.between(base, target));
    assertEquals(target, applied.text());
    return linesOf(base).change(base, applied.edits(), Long.MAX_VALUE);
  }

  /** The elements the script adds (or deletes) to {@code set}. */
  private static Set<String> elements(String script, String verb, String set) {
    Set<String> found = new TreeSet<>();
    Matcher command = COMMAND.matcher(script);
    while (command.find()) {
      if (command.group(1).equals(verb) && command.group(2).equals(set)) {
        found.addAll(Arrays.asList(command.group(3).split(", ")));
      }
    }
    return found;
  }

  @Test
  void randomChangesToASortedSet_becomeExactlyTheElementsAddedAndDeleted() throws Exception {
    Random random = new Random(20261205L);
    String[] pool = GeneratedRules.addresses(600);
    for (int round = 0; round < 200; round++) {
      TreeSet<Integer> before = new TreeSet<>();
      while (before.size() < 100 + random.nextInt(100)) {
        before.add(random.nextInt(pool.length));
      }
      TreeSet<Integer> after = new TreeSet<>(before);
      for (int c = random.nextInt(20); c >= 0; c--) {
        if (random.nextBoolean() && after.size() > 1) {
          after.remove(new ArrayList<>(after).get(random.nextInt(after.size())));
        } else {
          after.add(random.nextInt(pool.length));
        }
      }
      String base = rules(values(pool, before));
      String target = rules(values(pool, after));
      NftElementLines.Change change = change(base, target);
      assertNotNull(change, "round " + round);
      Set<String> added = new TreeSet<>(List.of(values(pool, after)));
      added.removeAll(List.of(values(pool, before)));
      Set<String> deleted = new TreeSet<>(List.of(values(pool, before)));
      deleted.removeAll(List.of(values(pool, after)));
      assertEquals(added, elements(change.script(), "add", "cm1_v4"), "round " + round);
      assertEquals(deleted, elements(change.script(), "delete", "cm1_v4"), "round " + round);
      assertEquals(added.size(), change.added());
      assertEquals(deleted.size(), change.deleted());
      // The lines after the change are those of the target, found without reading it.
      assertEquals(linesOf(target).lists(), change.next().lists(), "round " + round);
    }
  }

  @Test
  void aRunOfChanges_keepsMappingFromTheLinesItComputed() throws Exception {
    String[] pool = GeneratedRules.addresses(400);
    String base = rules(Arrays.copyOfRange(pool, 0, 300));
    NftElementLines lines = linesOf(base);
    for (int step = 1; step <= 5; step++) {
      String target = rules(Arrays.copyOfRange(pool, step * 20, 300 + step * 20));
      LineDelta.Applied applied = LineDelta.applyKeepingEdits(base, LineDelta.between(base, target));
      NftElementLines.Change change = lines.change(base, applied.edits(), Long.MAX_VALUE);
      assertNotNull(change, "step " + step);
      assertEquals(Set.of(Arrays.copyOfRange(pool, 280 + step * 20, 300 + step * 20)),
          elements(change.script(), "add", "cm1_v4"));
      lines = change.next();
      base = target;
    }
  }

  @Test
  void aChangedRuleOrANewSet_doesNotMap() throws Exception {
    String base = rules("192.0.2.1", "192.0.2.2", "192.0.2.3");
    String withNetwork = rules("192.0.2.1", "192.0.2.2", "192.0.2.3", "198.51.100.0/24");
    String withPort = GeneratedRules.text(GENERATOR, GeneratedRules.block(1, "192.0.2.1", "192.0.2.2"),
        GeneratedRules.block(2, "192.0.2.9"));
    assertNull(change(base, withNetwork));
    assertNull(change(base, withPort));
    assertNull(change(base, base.replace("counter drop", "counter reject")));
  }

  @Test
  void anIntervalSetChange_doesNotMap() throws Exception {
    String base = rules("192.0.2.1", "198.51.100.0/24", "203.0.113.0/24");
    String target = rules("192.0.2.1", "198.51.100.0/24", "203.0.113.0/25");
    assertNull(change(base, target));
  }

  @Test
  void emptyingASet_doesNotMap() throws Exception {
    String base = rules("192.0.2.1", "2001:db8::1");
    String target = rules("2001:db8::1", "2001:db8::2");
    assertTrue(base.contains("cm1_v4 {"));
    assertNull(change(base, target));
  }

  @Test
  void anInsertedLineThatIsNotAPlainElement_doesNotMap() {
    String base = rules("192.0.2.1", "192.0.2.2", "192.0.2.3");
    int second = Arrays.asList(base.split("\n", -1)).indexOf("\t\t\t192.0.2.2,");
    for (String hostile : List.of("\t\t\t192.0.2.9 } ; flush ruleset ; add element inet bulwark cm1_v4 { 192.0.2.8,",
        "\t\t\t\"192.0.2.9\",", "\t\t\t192.0.2.9 # comment,", "\t\t\t192.0.2.9", "\t\t\t,")) {
      RuleDelta delta = RuleDelta.newBuilder()
          .addEdits(LineEdit.newBuilder().setBaseLine(second).setDeleteCount(0).addInsert(hostile))
          .build();
      LineDelta.Applied applied;
      try {
        applied = LineDelta.applyKeepingEdits(base, delta);
      } catch (LineDelta.MismatchException e) {
        throw new AssertionError(e);
      }
      assertNull(linesOf(base).change(base, applied.edits(), Long.MAX_VALUE), hostile);
    }
  }

  @Test
  void moreChangesThanAllowed_doNotMap() throws Exception {
    String[] pool = GeneratedRules.addresses(100);
    String base = rules(Arrays.copyOfRange(pool, 0, 50));
    String target = rules(Arrays.copyOfRange(pool, 30, 80));
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(base, LineDelta.between(base, target));
    assertNotNull(linesOf(base).change(base, applied.edits(), 70));
    assertNull(linesOf(base).change(base, applied.edits(), 20));
  }

  private static String[] values(String[] pool, TreeSet<Integer> indexes) {
    List<String> values = new ArrayList<>();
    for (int i : indexes) {
      values.add(pool[i]);
    }
    return values.toArray(new String[0]);
  }
}
