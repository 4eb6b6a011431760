package io.bulwark.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineTextTest {

  @Test
  void linesAreOneMoreThanTheBreaks() {
    assertEquals(1, LineText.of("").lineCount());
    assertEquals(2, LineText.of("\n").lineCount());
    assertEquals(3, LineText.of("a\nbc\n").lineCount());
    LineText text = LineText.of("a\nbc\nd");
    assertEquals(0, text.start(0));
    assertEquals(2, text.start(1));
    assertEquals(5, text.start(2));
    assertEquals(7, text.start(3), "the line after the last starts one past the end");
    assertEquals(8, text.start(4));
  }

  @Test
  void aDeltaChainCarriesExactLineStarts_asAWalkWouldFindThem() throws Exception {
    Random random = new Random(20261205L);
    for (int round = 0; round < 500; round++) {
      List<String> lines = LineDeltaTest.randomLines(random, random.nextInt(30));
      String text = String.join("\n", lines) + (random.nextBoolean() ? "\n" : "");
      LineText current = LineText.of(text);
      for (int step = 0; step < 6; step++) {
        List<String> next = new ArrayList<>(List.of(current.text().split("\n", -1)));
        for (int c = random.nextInt(5); c > 0; c--) {
          if (next.size() > 1 && random.nextInt(3) == 0) {
            next.remove(random.nextInt(next.size()));
          } else {
            next.add(random.nextInt(next.size() + 1), random.nextInt(4) == 0 ? "" : LineDeltaTest.word(random));
          }
        }
        String target = String.join("\n", next);
        RuleDelta delta = LineDelta.between(current.text(), target);
        LineDelta.Applied applied = LineDelta.applyKeepingEdits(current, delta);
        assertEquals(target, applied.text(), "round " + round + " step " + step);
        assertArrayEquals(sha256(target), DeltaWalk.sha256(current, delta), "digest, round " + round + " step " + step);
        assertEquals(applied.edits(), DeltaWalk.edits(current, delta), "edits, round " + round + " step " + step);
        assertTrue(applied.lines().sameAs(LineText.of(target)), "line starts, round " + round + " step " + step);
        current = applied.lines();
      }
    }
  }

  @Test
  void edgeCases_keepExactLineStarts() throws Exception {
    // Everything deleted: the empty text, one empty line.
    check("a\nb", RuleDelta.newBuilder().addEdits(edit(0, 2)).build(), "");
    // Into the empty text, and after the last line.
    check("", RuleDelta.newBuilder().addEdits(edit(0, 1, "x", "y")).build(), "x\ny");
    check("a\nb", RuleDelta.newBuilder().addEdits(edit(2, 0, "c")).build(), "a\nb\nc");
    // An inserted "line" holding a break is two lines of the result.
    check("a\nb", RuleDelta.newBuilder().addEdits(edit(1, 0, "x\ny")).build(), "a\nx\ny\nb");
    // Inserted empty lines, first and last.
    check("a", RuleDelta.newBuilder().addEdits(edit(0, 0, "")).addEdits(edit(1, 0, "")).build(), "\na\n");
  }

  @Test
  void editsBeyondTheBase_orOverlapping_areRefused() {
    LineText base = LineText.of("a\nb");
    assertThrows(LineDelta.MismatchException.class,
        () -> LineDelta.applyKeepingEdits(base, RuleDelta.newBuilder().addEdits(edit(3, 0, "x")).build()));
    assertThrows(LineDelta.MismatchException.class,
        () -> LineDelta.applyKeepingEdits(base, RuleDelta.newBuilder().addEdits(edit(1, 5)).build()));
    assertThrows(LineDelta.MismatchException.class,
        () -> LineDelta.applyKeepingEdits(base,
            RuleDelta.newBuilder().addEdits(edit(0, 2)).addEdits(edit(1, 0, "x")).build()));
    assertThrows(LineDelta.MismatchException.class,
        () -> DeltaWalk.sha256(base, RuleDelta.newBuilder().addEdits(edit(3, 0, "x")).build()));
    assertThrows(LineDelta.MismatchException.class,
        () -> DeltaWalk.sha256(base, RuleDelta.newBuilder().addEdits(edit(0, 2)).addEdits(edit(1, 0, "x")).build()));
    assertThrows(LineDelta.MismatchException.class,
        () -> DeltaWalk.edits(base, RuleDelta.newBuilder().addEdits(edit(3, 0, "x")).build()));
  }

  @Test
  void digestWithoutTheText_isTheTextsDigest_forLongLinesAndCharactersBeyondAscii() throws Exception {
    // A surrogate pair across the 65,536th character of a long kept range, and accents elsewhere.
    String longLine = "a".repeat(65_535) + "\uD83D\uDE00" + "é".repeat(70_000);
    String base = "first\n" + longLine + "\nthird ü\n" + longLine;
    RuleDelta delta = RuleDelta.newBuilder().addEdits(edit(0, 1, "premier ✓")).addEdits(edit(2, 1)).build();

    String result = LineDelta.applyKeepingEdits(LineText.of(base), delta).text();

    assertEquals("premier ✓\n" + longLine + "\n" + longLine, result);
    assertArrayEquals(sha256(result), DeltaWalk.sha256(LineText.of(base), delta));
    // Lone surrogates (not UTF-16 text at all) hash as the whole text's encoding has them: one '?'.
    String lone = "b".repeat(65_535) + "\uD83D" + "c\nx";
    RuleDelta loneDelta = RuleDelta.newBuilder().addEdits(edit(1, 1, "\uDE00 y")).build();
    String loneResult = LineDelta.applyKeepingEdits(LineText.of(lone), loneDelta).text();
    assertArrayEquals(sha256(loneResult), DeltaWalk.sha256(LineText.of(lone), loneDelta));
  }

  private static byte[] sha256(String text) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void check(String base, RuleDelta delta, String expected) throws Exception {
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(LineText.of(base), delta);
    assertEquals(expected, applied.text());
    assertArrayEquals(sha256(expected), DeltaWalk.sha256(LineText.of(base), delta));
    assertTrue(applied.lines().sameAs(LineText.of(expected)), "line starts of " + expected.replace("\n", "\\n"));
  }

  private static LineEdit edit(int baseLine, int deleteCount, String... insert) {
    return LineEdit.newBuilder().setBaseLine(baseLine).setDeleteCount(deleteCount).addAllInsert(List.of(insert)).build();
  }
}
