package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bulwark.rules.Digests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationResultTest {

  @Test
  void ofFile_singleFile_textIsTheContentAndDigestIsItsHash() {
    GenerationResult.Rules rules =
        GenerationResult.Rules.ofFile("bulwark.nft", "table\n", List.of());

    assertEquals("table\n", rules.text());
    assertEquals(Map.of("bulwark.nft", "table\n"), rules.files());
    assertEquals(Digests.sha256Hex("table\n"), rules.digest());
    assertEquals(new GenerationResult.Rules("table\n", List.of()).digest(), rules.digest());
  }

  @Test
  void ofFiles_severalFiles_frameEachInOrder() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("b.txt", "2\n");
    files.put("a.txt", "1\n");

    GenerationResult.Rules rules = GenerationResult.Rules.ofFiles(files, List.of());

    assertEquals("==> b.txt <==\n2\n==> a.txt <==\n1\n", rules.text());
    assertEquals(List.of("b.txt", "a.txt"), List.copyOf(rules.files().keySet()));
  }

  @Test
  void rules_textNotMatchingFiles_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new GenerationResult.Rules("other", List.of(), Map.of("a.txt", "1\n")));
  }

  @Test
  void rules_pathInFileName_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> GenerationResult.Rules.ofFile("../etc/passwd", "x", List.of()));
  }

  @Test
  void onlyIn_sortedLists_givesTheDifferenceInOrder() {
    assertEquals(
        List.of(1, 4, 9), SortedDifference.onlyIn(List.of(1, 2, 4, 7, 9), List.of(0, 2, 3, 7, 8)));
    assertEquals(List.of(), SortedDifference.onlyIn(List.of(), List.of(1)));
    assertEquals(List.of(5), SortedDifference.onlyIn(List.of(5), List.of()));
  }
}
