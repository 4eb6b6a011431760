package io.bulwark.agent.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NftSetSizesTest {

  private static String table(int single, int networks) {
    StringBuilder s = new StringBuilder("table inet bulwark {\n\tset cm1_v4 {\n\t\ttype ipv4_addr\n\t\telements = { ");
    for (int i = 0; i < single; i++) {
      s.append(i == 0 ? "" : ", ").append("10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255).append('.')
          .append(i & 255);
    }
    s.append(" }\n\t}\n\n\tset cm1_v4net {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { ");
    for (int i = 0; i < networks; i++) {
      s.append(i == 0 ? "" : ", ").append("11.").append(i >> 8 & 255).append('.').append(i & 255).append(".0/24");
    }
    return s.append(" }\n\t}\n}\n").toString();
  }

  @Test
  void largeSetWithoutIntervals_getsTwiceTheNextPowerOfTwo_intervalSetsNothing() {
    String rules = table(70_000, 70_000);

    String hinted = NftSetSizes.hinted(rules, NftElementLists.of(rules));

    assertTrue(hinted.startsWith("table inet bulwark {\n\tset cm1_v4 {\n\t\ttype ipv4_addr\n\t\tsize 262144\n\t\telements = { "),
        hinted.substring(0, 120));
    assertEquals(1, hinted.split("\t\tsize ", -1).length - 1, "the interval set keeps none");
    assertEquals(rules, hinted.replace("\t\tsize 262144\n", ""), "nothing else changes");
    assertEquals(hinted, NftSetSizes.hinted(hinted, NftElementLists.of(hinted)), "a hinted set is left as it is");
  }

  @Test
  void smallSets_areLeftAsWritten() {
    String rules = table(1000, 10);

    assertSame(rules, NftSetSizes.hinted(rules, NftElementLists.of(rules)));
  }

  @Test
  void size_isTwiceTheNextPowerOfTwo() {
    assertEquals(131_072, NftSetSizes.size(65_536));
    assertEquals(262_144, NftSetSizes.size(65_537));
    assertEquals(2_097_152, NftSetSizes.size(1_000_000));
  }
}
