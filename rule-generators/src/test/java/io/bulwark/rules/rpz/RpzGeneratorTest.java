package io.bulwark.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import java.util.List;
import org.junit.jupiter.api.Test;

class RpzGeneratorTest {

  private static final List<CountermeasureTerms> TWO_NAMES =
      List.of(
          new CountermeasureTerms(
              1, Action.BLOCK, List.of(new DomainTerm("a.example"), new DomainTerm("b.example"))));

  @Test
  void generate_overRecordLimit_isInvalidNamingTheCount() {
    RpzGenerator generator =
        new RpzGenerator(new RpzOptions(new DomainTerm("rpz.bulwark"), null, true, 3, 300));

    GenerationResult result = generator.generate(new RuleInput(1, TWO_NAMES));

    assertEquals(
        new GenerationResult.Invalid(
            "rpz: zone rpz.bulwark would hold 4 elements, more than the limit of 3"),
        result);
  }

  @Test
  void generate_withoutSubdomains_writesOnlyExactNames() {
    RpzGenerator generator =
        new RpzGenerator(new RpzOptions(new DomainTerm("rpz.bulwark"), null, false, 3, 300));

    String text = ((GenerationResult.Rules) generator.generate(new RuleInput(1, TWO_NAMES))).text();

    assertTrue(text.endsWith("\na.example CNAME . ; cm1\nb.example CNAME . ; cm1\n"), text);
  }

  @Test
  void generate_laterGeneration_hasHigherSerial() {
    RpzGenerator generator = new RpzGenerator();
    String first =
        ((GenerationResult.Rules) generator.generate(new RuleInput(5, TWO_NAMES))).text();
    String next = ((GenerationResult.Rules) generator.generate(new RuleInput(6, TWO_NAMES))).text();

    assertTrue(first.contains(" hostmaster.localhost. 5 "));
    assertTrue(next.contains(" hostmaster.localhost. 6 "));
  }

  @Test
  void generate_generationBeyondSerialRange_isInvalid() {
    GenerationResult result = new RpzGenerator().generate(new RuleInput(1L << 32, TWO_NAMES));

    assertEquals(
        new GenerationResult.Invalid("rpz: generation 4294967296 does not fit in an SOA serial"),
        result);
  }
}
