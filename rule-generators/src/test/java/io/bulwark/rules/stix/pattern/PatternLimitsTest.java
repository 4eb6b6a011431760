package io.bulwark.rules.stix.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.bulwark.rules.term.TermExtractor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The largest trees the parser builds can be printed, compared, hashed and walked on half the
 * default thread stack, and one join or qualifier more is refused.
 */
class PatternLimitsTest {

  private static final int N = PatternParser.MAX_OPERATORS;

  @ParameterizedTest
  @ValueSource(strings = {"comparisons", "observations", "followedby", "qualifiers"})
  void longestChain_isUsableOnASmallStack(String shape) throws Exception {
    String text = chain(shape, N);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                Pattern pattern =
                    assertInstanceOf(PatternResult.Parsed.class, PatternParser.parseStrict(text))
                        .pattern();
                // The canonical text may be longer than MAX_LENGTH, so the source is parsed again.
                Pattern again =
                    assertInstanceOf(PatternResult.Parsed.class, PatternParser.parse(text))
                        .pattern();
                assertEquals(pattern, again);
                assertEquals(again.toString(), pattern.toString());
                assertEquals(pattern.hashCode(), again.hashCode());
                TermExtractor.extract(pattern);
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "small-stack",
            512 * 1024);
    thread.start();
    thread.join();

    assertNull(failure.get(), () -> String.valueOf(failure.get()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"comparisons", "observations", "followedby", "qualifiers"})
  void oneOperatorTooMany_isRefused(String shape) {
    PatternError error =
        assertInstanceOf(PatternResult.Failed.class, PatternParser.parse(chain(shape, N + 1)))
            .error();

    assertEquals("more than " + N + " joins and qualifiers; split the pattern", error.message());
  }

  private static String chain(String shape, int operators) {
    return switch (shape) {
      // Compact spellings, so that the chains fit in MAX_LENGTH characters.
      case "comparisons" -> "[a:b=1" + " OR a:b=1".repeat(operators) + "]";
      case "observations" -> "[a:b=1]" + "AND[a:b=2]".repeat(operators);
      case "followedby" ->
          "[a:b=1]"
              + "OR[a:b=2]FOLLOWEDBY[a:b=3]".repeat(operators / 2)
              + "OR[a:b=4]".repeat(operators % 2);
      default -> "([a:b=1])" + " REPEATS 2 TIMES".repeat(operators);
    };
  }
}
