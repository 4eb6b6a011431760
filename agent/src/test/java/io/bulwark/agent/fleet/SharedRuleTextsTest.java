package io.bulwark.agent.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.bulwark.agent.bundle.RuleTexts;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import java.util.List;
import java.util.Optional;
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
  void theTextKeptUnderADigestIsFoundByIt() {
    SharedRuleTexts texts = new SharedRuleTexts();
    LineText kept = LineText.of("a\n");

    assertEquals(Optional.empty(), texts.verified("d1"));
    texts.share("d1", kept);

    assertSame(kept, texts.verified("d1").orElseThrow());
    assertEquals(Optional.empty(), texts.verified("d2"));
  }

  @Test
  void aDeltaRebuiltFromAKeptText_isFoundByThatObjectAndAnEqualDelta() {
    SharedRuleTexts texts = new SharedRuleTexts();
    String base = new String("a\nb\n");
    texts.share("d0", LineText.of(base));
    String next = "a\nb\nc\n";
    var made = new RuleTexts.Rebuilt("d1", LineText.of(next), List.of());
    texts.keepRebuilt(base, LineDelta.between(base, next), made);

    assertSame(made, texts.rebuiltBefore(base, LineDelta.between(base, next)).orElseThrow(), "an equal delta");
    assertEquals(Optional.empty(), texts.rebuiltBefore(new String(base), LineDelta.between(base, next)),
        "another base object");
    assertEquals(Optional.empty(), texts.rebuiltBefore(base, LineDelta.between(base, "a\nc\n")), "another delta");
  }

  @Test
  void aDeltaRebuiltFromATextNotKept_isNotKept() {
    SharedRuleTexts texts = new SharedRuleTexts();
    String base = new String("a\nb\n");
    texts.share("d0", LineText.of(new String(base)));
    String next = "a\nb\nc\n";
    texts.keepRebuilt(base, LineDelta.between(base, next), new RuleTexts.Rebuilt("d1", LineText.of(next), List.of()));

    assertEquals(Optional.empty(), texts.rebuiltBefore(base, LineDelta.between(base, next)));
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
