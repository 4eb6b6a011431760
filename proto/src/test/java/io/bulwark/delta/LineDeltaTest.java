package io.bulwark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LineDeltaTest {

  @Test
  void rebuildsTheTargetExactlyForRandomEdits() throws Exception {
    Random random = new Random(20261204L);
    for (int round = 0; round < 2000; round++) {
      List<String> base = randomLines(random, random.nextInt(40));
      List<String> target = new ArrayList<>(base);
      int changes = random.nextInt(8);
      for (int c = 0; c < changes; c++) {
        int kind = random.nextInt(3);
        if (kind == 0 || target.isEmpty()) {
          target.add(random.nextInt(target.size() + 1), word(random));
        } else if (kind == 1) {
          target.remove(random.nextInt(target.size()));
        } else {
          target.set(random.nextInt(target.size()), word(random));
        }
      }
      String a = String.join("\n", base) + (random.nextBoolean() ? "\n" : "");
      String b = String.join("\n", target) + (random.nextBoolean() ? "\n" : "");
      assertEquals(b, LineDelta.apply(a, LineDelta.between(a, b)), "round " + round);
    }
  }

  @Test
  void appliedEditsNameTheBaseLinesTheyReplaced() throws Exception {
    Random random = new Random(20261205L);
    for (int round = 0; round < 2000; round++) {
      List<String> base = randomLines(random, random.nextInt(30));
      List<String> target = new ArrayList<>(base);
      for (int c = random.nextInt(6); c > 0; c--) {
        if (target.isEmpty() || random.nextBoolean()) {
          target.add(random.nextInt(target.size() + 1), word(random));
        } else {
          target.remove(random.nextInt(target.size()));
        }
      }
      String a = String.join("\n", base) + (random.nextBoolean() ? "\n" : "");
      String b = String.join("\n", target);
      LineDelta.Applied applied = LineDelta.applyKeepingEdits(a, LineDelta.between(a, b));
      assertEquals(b, applied.text(), "round " + round);
      List<String> lines = List.of(a.split("\n", -1));
      for (LineDelta.Edit edit : applied.edits()) {
        List<String> deleted = lines.subList(edit.baseLine(), edit.baseLine() + edit.deleteCount());
        String expected = String.join("\n", deleted);
        assertEquals(expected, a.substring(edit.deletedFrom(), edit.deletedTo()), "round " + round);
      }
    }
  }

  @Test
  void aSmallChangeToALargeSortedSetIsASmallDelta() throws Exception {
    TreeSet<String> before = new TreeSet<>();
    Random random = new Random(7);
    while (before.size() < 100_000) {
      before.add(address(random));
    }
    TreeSet<String> after = new TreeSet<>(before);
    List<String> removed = new ArrayList<>(before).subList(5000, 5500);
    after.removeAll(new ArrayList<>(removed));
    while (after.size() < 100_000) {
      after.add(address(random));
    }
    String a = "table inet bulwark {\n" + String.join(",\n", before) + "\n}\n";
    String b = "table inet bulwark {\n" + String.join(",\n", after) + "\n}\n";
    RuleDelta delta = LineDelta.between(a, b);
    assertEquals(b, LineDelta.apply(a, delta));
    // 500 removed, 500 added, plus at most a few neighbours whose trailing comma changed.
    assertTrue(LineDelta.changedLines(delta) <= 1010, "changed lines: " + LineDelta.changedLines(delta));
  }

  @Test
  void identicalTextsNeedNoEdits() throws Exception {
    String text = "a\nb\nc\n";
    RuleDelta delta = LineDelta.between(text, text);
    assertEquals(0, delta.getEditsCount());
    assertEquals(text, LineDelta.apply(text, delta));
  }

  @Test
  void repeatedLinesAreHandled() throws Exception {
    String a = "}\n}\n}\nx\n}\n}\n";
    String b = "}\ny\n}\n}\nx\n}\n";
    assertEquals(b, LineDelta.apply(a, LineDelta.between(a, b)));
  }

  @Test
  void anEditOutsideTheBaseIsRefused() {
    RuleDelta delta =
        RuleDelta.newBuilder()
            .addEdits(LineEdit.newBuilder().setBaseLine(10).setDeleteCount(1).addInsert("x"))
            .build();
    var e = assertThrows(LineDelta.MismatchException.class, () -> LineDelta.apply("a\nb\n", delta));
    assertTrue(e.getMessage().contains("line 10"), e.getMessage());
  }

  @Test
  void overlappingEditsAreRefused() {
    RuleDelta delta =
        RuleDelta.newBuilder()
            .addEdits(LineEdit.newBuilder().setBaseLine(1).setDeleteCount(2))
            .addEdits(LineEdit.newBuilder().setBaseLine(2).setDeleteCount(1))
            .build();
    assertThrows(LineDelta.MismatchException.class, () -> LineDelta.apply("a\nb\nc\nd", delta));
  }

  static List<String> randomLines(Random random, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(word(random));
    }
    return lines;
  }

  /** Few distinct words, so that repeated lines are common. */
  static String word(Random random) {
    return random.nextInt(4) == 0 ? "}" : "w" + random.nextInt(30);
  }

  private static String address(Random random) {
    return "  10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
  }
}
