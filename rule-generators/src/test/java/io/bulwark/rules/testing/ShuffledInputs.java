package io.bulwark.rules.testing;

import static io.bulwark.rules.testing.TestInputs.block;
import static io.bulwark.rules.testing.TestInputs.prefix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.Term;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Checks that a rendering depends on what an input holds, not on the order it is listed in. */
public final class ShuffledInputs {

  private ShuffledInputs() {}

  /**
   * Renders generation 1 of countermeasure 2 with {@code terms} and countermeasure 1 with {@code
   * 192.0.2.7}, then 20 times generation 3 of the same with the terms and the countermeasures
   * shuffled by a {@link Random} seeded with {@code seed}, and asserts every text equals the first.
   *
   * @param render the text a generator renders for an input; it may assert more about it
   */
  public static void assertOrderDoesNotMatter(
      List<Term> terms, long seed, Function<RuleInput, String> render) {
    String reference =
        render.apply(new RuleInput(1, List.of(block(2, terms), block(1, prefix("192.0.2.7")))));
    Random random = new Random(seed);
    for (int i = 0; i < 20; i++) {
      List<Term> shuffled = new ArrayList<>(terms);
      Collections.shuffle(shuffled, random);
      List<CountermeasureTerms> cms =
          new ArrayList<>(List.of(block(1, prefix("192.0.2.7")), block(2, shuffled)));
      Collections.shuffle(cms, random);

      assertEquals(reference, render.apply(new RuleInput(3, cms)));
    }
  }
}
