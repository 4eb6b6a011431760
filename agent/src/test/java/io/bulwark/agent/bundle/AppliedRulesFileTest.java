package io.bulwark.agent.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedRulesFileTest {

  @TempDir Path dir;

  /** A rule set of {@code n} element lines. */
  private static String rules(int from, int n) {
    StringBuilder text = new StringBuilder("table inet bulwark {\n  set v4 {\n    elements = {\n");
    for (int i = from; i < from + n; i++) {
      text.append("      10.").append(i / 65536 % 256).append('.').append(i / 256 % 256).append('.')
          .append(i % 256).append(",\n");
    }
    return text.append("    }\n  }\n}\n").toString();
  }

  private static String digest(String rules) {
    return BundleCheck.sha256Hex(rules);
  }

  private Path full() {
    return dir.resolve("applied.rules");
  }

  private Path journal() {
    return dir.resolve("applied.rules.journal");
  }

  /** Writes r0 in full and r1, r2 as journal records; returns the three. */
  private String[] chain(AppliedRulesFile file) throws Exception {
    String[] r = {rules(0, 1000), rules(0, 1100), rules(50, 1100)};
    file.replace(r[0]);
    for (int i = 1; i < r.length; i++) {
      var delta = LineDelta.between(r[i - 1], r[i]);
      assertTrue(file.canAppend(delta));
      file.append(digest(r[i - 1]), delta, digest(r[i]));
    }
    return r;
  }

  @Test
  void everyGenerationOfTheChain_isReadBack_byItsDigest() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));

    assertTrue(Files.size(journal()) < Files.size(full()) / 4, "the journal holds only the changes");
    for (String rules : r) {
      assertEquals(Optional.of(rules), new AppliedRulesFile(full()).read(digest(rules)));
    }
    assertEquals(Optional.empty(), new AppliedRulesFile(full()).read(digest(rules(7, 7))));
  }

  @Test
  void everyGenerationReadBack_comesWithItsExactLineStarts() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));

    for (String rules : r) {
      LineText read = new AppliedRulesFile(full()).readLines(digest(rules)).orElseThrow();
      assertEquals(rules, read.text());
      LineText walked = LineText.of(rules);
      assertEquals(walked.lineCount(), read.lineCount());
      // Edits all over the text land where they would with a walk's starts.
      String[] lines = rules.split("\n", -1);
      for (int i = 1; i < lines.length - 1; i += 97) {
        lines[i] = "edited " + i;
      }
      String next = String.join("\n", lines);
      assertEquals(next, LineDelta.applyKeepingEdits(read, LineDelta.between(rules, next)).text());
    }
  }

  @Test
  void aTornLastRecord_endsTheJournal_andTheNextChangeIsWrittenWhole() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));
    try (RandomAccessFile raf = new RandomAccessFile(journal().toFile(), "rw")) {
      raf.setLength(raf.length() - 5);
    }

    AppliedRulesFile reopened = new AppliedRulesFile(full());
    assertEquals(Optional.empty(), reopened.read(digest(r[2])));
    assertEquals(Optional.of(r[1]), reopened.read(digest(r[1])));
    String next = rules(60, 1200);
    // The journal is never cut or rewritten in place (commit-confirm may hold a second name of it).
    assertFalse(reopened.canAppend(LineDelta.between(r[1], next)), "the torn record is in the way");
    reopened.replace(next);

    assertEquals(Optional.of(next), new AppliedRulesFile(full()).read(digest(next)));
    assertFalse(Files.exists(journal()));
  }

  @Test
  void aDamagedRecord_endsTheJournal() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));
    byte[] bytes = Files.readAllBytes(journal());
    bytes[bytes.length - 3] ^= 0x20;
    Files.write(journal(), bytes);

    assertEquals(Optional.empty(), new AppliedRulesFile(full()).read(digest(r[2])));
    assertEquals(Optional.of(r[1]), new AppliedRulesFile(full()).read(digest(r[1])));
  }

  @Test
  void aJournalLeftBesideANewerFullCopy_doesNotChainOntoIt() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));
    // A crash after the new full copy was renamed into place, before the old journal was removed.
    String newer = rules(500, 900);
    AtomicFiles.write(full(), newer.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);

    AppliedRulesFile reopened = new AppliedRulesFile(full());
    assertEquals(Optional.empty(), reopened.read(digest(r[2])));
    assertEquals(Optional.of(newer), reopened.read(digest(newer)));
    assertFalse(reopened.canAppend(LineDelta.between(newer, r[0])), "the stale records are in the way");
  }

  @Test
  void aRecordClaimingMoreBytesThanTheJournalHolds_endsIt() throws Exception {
    String[] r = chain(new AppliedRulesFile(full()));
    byte[] bytes = Files.readAllBytes(journal());
    // The first record's length field, raised to just under what the whole file holds.
    java.nio.ByteBuffer.wrap(bytes).putInt(4, bytes.length - 8);
    Files.write(journal(), bytes);

    assertEquals(Optional.of(r[0]), new AppliedRulesFile(full()).read(digest(r[0])));
    assertEquals(Optional.empty(), new AppliedRulesFile(full()).read(digest(r[1])));
  }

  @Test
  void aLongJournal_asksForAFullCopy() throws Exception {
    AppliedRulesFile file = new AppliedRulesFile(full());
    String previous = rules(0, 100);
    file.replace(previous);
    int appended = 0;
    while (true) {
      String next = rules(appended + 1, 100);
      var delta = LineDelta.between(previous, next);
      if (!file.canAppend(delta)) {
        break;
      }
      file.append(digest(previous), delta, digest(next));
      previous = next;
      appended++;
    }

    assertEquals(AppliedRulesFile.MAX_RECORDS, appended);
    assertEquals(Optional.of(previous), new AppliedRulesFile(full()).read(digest(previous)));
    file.replace(previous);
    assertFalse(Files.exists(journal()));
  }

  @Test
  void noFiles_meansNoRules() throws Exception {
    assertEquals(Optional.empty(), new AppliedRulesFile(full()).read(digest("x")));
  }
}
