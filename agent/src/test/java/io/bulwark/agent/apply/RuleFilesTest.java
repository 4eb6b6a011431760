package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleFilesTest {

  @Test
  void split_readsEachFileInOrder_andJoinWritesItBack() {
    String text = "==> b.rules <==\nalert x\n==> a.lst <==\none\ntwo\n";

    Map<String, String> files = RuleFiles.split(text).orElseThrow();

    assertEquals(List.of("b.rules", "a.lst"), List.copyOf(files.keySet()));
    assertEquals("alert x\n", files.get("b.rules"));
    assertEquals("one\ntwo\n", files.get("a.lst"));
    assertEquals(text, RuleFiles.join(files));
  }

  @Test
  void split_withoutAHeader_isOneUnnamedFile() {
    assertEquals(Optional.empty(), RuleFiles.split("rule a { condition: true }\n"));
    assertEquals(Optional.empty(), RuleFiles.split(""));
  }

  @Test
  void split_emptyFiles_areKept() {
    Map<String, String> files = RuleFiles.split("==> a <==\n==> b <==\n").orElseThrow();

    assertEquals(Map.of("a", "", "b", ""), files);
  }

  @Test
  void split_headerInTheMiddleOfALine_isContent() {
    Map<String, String> files = RuleFiles.split("==> a <==\nx ==> b <==\n").orElseThrow();

    assertEquals(Map.of("a", "x ==> b <==\n"), files);
  }

  @Test
  void split_namesThatLeaveTheDirectory_areRefused() {
    for (String name : new String[] {"../etc/passwd", "/etc/passwd", "a/b", "..", ".hidden", "A.rules", "a\tb"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> RuleFiles.split("==> " + name + " <==\nx\n"));
      assertTrue(e.getMessage().startsWith("not a plain file name"), e.getMessage());
    }
  }

  @Test
  void split_duplicateOrMalformedHeaders_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> RuleFiles.split("==> a <==\n==> a <==\n"));
    assertThrows(IllegalArgumentException.class, () -> RuleFiles.split("==> a\nx\n"));
  }

  @Test
  void join_ofNoFiles_isEmpty() {
    assertEquals("", RuleFiles.join(new LinkedHashMap<>()));
    assertFalse(RuleFiles.isPlainName("a..b"));
  }
}
