package io.bulwark.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.bulwark.delta.LineText;
import org.junit.jupiter.api.Test;

class SharedRuleTextsTest {

  @Test
  void equalVerifiedTextsAreKeptOnce() {
    SharedRuleTexts texts = new SharedRuleTexts();
    LineText first = LineText.of(new String("a\nb\n"));
    LineText second = LineText.of(new String("a\nb\n"));

    assertSame(first, texts.share("d1", first));
    assertSame(first, texts.share("d1", second));
  }

  @Test
  void otherDigestsKeepTheirOwnText() {
    SharedRuleTexts texts = new SharedRuleTexts();
    LineText one = LineText.of("a\n");
    LineText two = LineText.of("b\n");

    texts.share("d1", one);

    assertSame(two, texts.share("d2", two));
    assertSame(one, texts.share("d1", LineText.of("a\n")));
  }

  @Test
  void onlyTheLastFewRuleSetsAreKept() {
    SharedRuleTexts texts = new SharedRuleTexts();
    LineText oldest = LineText.of("0\n");
    texts.share("d0", oldest);
    for (int i = 1; i <= SharedRuleTexts.KEPT; i++) {
      texts.share("d" + i, LineText.of(i + "\n"));
    }

    LineText again = LineText.of("0\n");
    assertSame(again, texts.share("d0", again));
  }
}
