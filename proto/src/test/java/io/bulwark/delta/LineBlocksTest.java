package io.bulwark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.proto.agent.v1.LineEdit;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineBlocksTest {

  @Test
  void theDigestIsTheHashOfTheBlockHashes_eachOverItsLinesWithBreaks() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      lines.add("\t\t10.1." + (i / 250) + "." + (i % 250) + ",");
    }
    String text = String.join("\n", lines);
    LineBlocks blocks = LineBlocks.of(LineText.of(text));
    assertTrue(blocks.blockCount() > 3000 / LineBlocks.MAX_LINES, "blocks: " + blocks.blockCount());

    // Cut by the rule, independently of how LineBlocks walks.
    MessageDigest outer = MessageDigest.getInstance("SHA-256");
    outer.update("bulwark line blocks v1\n".getBytes(StandardCharsets.US_ASCII));
    MessageDigest block = MessageDigest.getInstance("SHA-256");
    int inBlock = 0;
    int cuts = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      block.update((line + "\n").getBytes(StandardCharsets.UTF_8));
      inBlock++;
      if (inBlock == LineBlocks.MAX_LINES || (inBlock >= LineBlocks.MIN_LINES && LineBlocks.endsBlock(line, 0, line.length()))
          || i == lines.size() - 1) {
        outer.update(block.digest());
        inBlock = 0;
        cuts++;
      }
    }
    assertEquals(cuts, blocks.blockCount());
    assertEquals(HexFormat.of().formatHex(outer.digest()), blocks.digestHex());
    assertEquals(blocks.digestHex(), LineBlocks.digestHex(text));
  }

  @Test
  void textsThatDiffer_haveDigestsThatDiffer() {
    List<String> texts = List.of("", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "ab", "b\na", "a\n\nb", "é", "e");
    for (String a : texts) {
      for (String b : texts) {
        if (!a.equals(b)) {
          assertNotEquals(LineBlocks.digestHex(a), LineBlocks.digestHex(b), "'" + a + "' and '" + b + "'");
        }
      }
    }
  }

  @Test
  void aDeltaChainKeepsTheBlocks_asCuttingTheResultFinds() throws Exception {
    Random random = new Random(20261205L);
    for (int round = 0; round < 200; round++) {
      List<String> lines = new ArrayList<>();
      for (int i = random.nextInt(2000); i > 0; i--) {
        lines.add(line(random));
      }
      LineText current = LineText.of(String.join("\n", lines) + (random.nextBoolean() ? "\n" : ""));
      for (int step = 0; step < 5; step++) {
        List<String> next = new ArrayList<>(List.of(current.text().split("\n", -1)));
        for (int c = random.nextInt(40); c > 0; c--) {
          int at = random.nextInt(next.size() + 1);
          switch (random.nextInt(4)) {
            case 0 -> {
              if (at < next.size()) {
                next.remove(at);
              }
            }
            case 1 -> {
              for (int n = random.nextInt(300); n > 0 && at < next.size(); n--) {
                next.remove(at);
              }
            }
            default -> next.add(at, line(random));
          }
        }
        String target = String.join("\n", next);
        RuleDelta delta = LineDelta.between(current.text(), target);
        LineBlocks found = LineBlocks.after(current, delta);
        LineBlocks cut = LineBlocks.of(LineText.of(target));
        assertTrue(found.sameAs(cut), "round " + round + " step " + step);
        assertEquals(cut.digestHex(), found.digestHex());
        LineDelta.Applied applied = LineDelta.applyKeepingEdits(current, delta);
        assertEquals(target, applied.text());
        applied.keep(found);
        current = applied.lines();
      }
    }
  }

  @Test
  void edgeCases_keepTheBlocksACutFinds() throws Exception {
    // Everything deleted; into the empty text; after the last line; the last line deleted.
    check("a\nb", delta(edit(0, 2)));
    check("", delta(edit(0, 1, "x", "y")));
    check("", delta(edit(0, 0, "x")));
    check("a\nb", delta(edit(2, 0, "c")));
    check("a\nb\nc", delta(edit(2, 1)));
    // An inserted "line" holding breaks is several lines of the result.
    check("a\nb", delta(edit(1, 0, "x\ny\n")));
    // An edit that changes nothing.
    check("a\nb", delta(edit(1, 0)));
    // A long run of one line that never ends a block by itself: cut every MAX_LINES lines, and
    // an edit in it moves every later cut of the run.
    String plain = plainLine();
    List<String> run = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      run.add(i % 400 == 399 ? "after-" + i : plain);
    }
    String text = String.join("\n", run);
    check(text, delta(edit(5, 0, plain, plain, plain)));
    check(text, delta(edit(5, 3), edit(700, 0, "x")));
    check(text, delta(edit(999, 1, "tail")));
  }

  @Test
  void deltasThatDoNotFit_areRefusedAsTheRebuildRefusesThem() {
    LineText base = LineText.of("a\nb");
    assertThrows(LineDelta.MismatchException.class, () -> LineBlocks.after(base, delta(edit(3, 0, "x"))));
    assertThrows(LineDelta.MismatchException.class, () -> LineBlocks.after(base, delta(edit(1, 5))));
    assertThrows(LineDelta.MismatchException.class,
        () -> LineBlocks.after(base, delta(edit(0, 2), edit(1, 0, "x"))));
  }

  @Test
  void blocksAreKept_onlyWithTheTextTheyWereFoundFor() throws Exception {
    LineText base = LineText.of("a\nb\nc");
    RuleDelta delta = delta(edit(1, 1, "x"));
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(base, delta);
    // Blocks of another text with as many lines, or found from another delta, are refused.
    assertThrows(IllegalArgumentException.class, () -> applied.keep(LineBlocks.of(LineText.of("a\nx\nd"))));
    assertThrows(IllegalArgumentException.class, () -> applied.keep(LineBlocks.after(base, delta(edit(1, 1, "y")))));
    assertTrue(!applied.lines().hasBlocks());
    applied.keep(LineBlocks.after(base, delta));
    assertEquals(LineBlocks.digestHex("a\nx\nc"), applied.lines().blocks().digestHex());
    // Blocks that do not end at the text's last line are refused even within the package.
    assertThrows(IllegalArgumentException.class, () -> LineText.of("a\nb").keep(LineBlocks.of(base)));
  }

  private static void check(String base, RuleDelta delta) throws Exception {
    LineText lines = LineText.of(base);
    String target = LineDelta.apply(base, delta);
    LineBlocks found = LineBlocks.after(lines, delta);
    assertTrue(found.sameAs(LineBlocks.of(LineText.of(target))), "'" + base + "' to '" + target + "'");
    LineDelta.Applied applied = LineDelta.applyKeepingEdits(lines, delta);
    applied.keep(found);
    assertTrue(applied.lines().hasBlocks());
    assertEquals(LineBlocks.digestHex(target), applied.lines().blocks().digestHex());
  }

  /** Unique addresses, repeated words and blank lines, as rule sets hold. */
  private static String line(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "}";
      case 1 -> "";
      case 2 -> "  w" + random.nextInt(50);
      default -> "\t10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + ",";
    };
  }

  /** A line that does not end a block by its content. */
  private static String plainLine() {
    for (int i = 0; ; i++) {
      String line = "plain-" + i;
      if (!LineBlocks.endsBlock(line, 0, line.length())) {
        return line;
      }
    }
  }

  private static RuleDelta delta(LineEdit... edits) {
    return RuleDelta.newBuilder().addAllEdits(List.of(edits)).build();
  }

  private static LineEdit edit(int baseLine, int deleteCount, String... insert) {
    return LineEdit.newBuilder().setBaseLine(baseLine).setDeleteCount(deleteCount).addAllInsert(List.of(insert)).build();
  }
}
