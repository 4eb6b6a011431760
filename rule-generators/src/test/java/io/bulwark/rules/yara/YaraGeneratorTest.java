package io.bulwark.rules.yara;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.HashTerm.Algorithm;
import java.util.List;
import org.junit.jupiter.api.Test;

class YaraGeneratorTest {

  @Test
  void generate_overHashLimit_isInvalidNamingTheCount() {
    List<CountermeasureTerms> input =
        List.of(
            new CountermeasureTerms(
                1,
                Action.BLOCK,
                List.of(
                    new HashTerm(Algorithm.MD5, "0".repeat(32)),
                    new HashTerm(Algorithm.MD5, "1".repeat(32)))),
            new CountermeasureTerms(
                2, Action.BLOCK, List.of(new HashTerm(Algorithm.SHA1, "2".repeat(40)))));

    GenerationResult result = new YaraGenerator(2).generate(new RuleInput(1, input));

    assertEquals(
        new GenerationResult.Invalid(
            "yara: the rule set would hold 3 elements, more than the limit of 2"),
        result);
  }

  @Test
  void generate_duplicateCountermeasureId_isInvalid() {
    CountermeasureTerms cm = new CountermeasureTerms(4, Action.BLOCK, List.of());
    GenerationResult result = new YaraGenerator().generate(new RuleInput(1, List.of(cm, cm)));

    assertEquals(new GenerationResult.Invalid("countermeasure 4 appears more than once"), result);
  }
}
