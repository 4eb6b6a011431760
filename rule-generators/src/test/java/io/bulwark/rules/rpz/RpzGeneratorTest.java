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

  @Test
  void generate_sinkholes_answerWithEachCountermeasuresOwnDestination() {
    String text =
        text(
            new RuleInput(
                1,
                List.of(
                    sinkhole(1, "sinkhole.example.net", "a.example"),
                    sinkhole(2, "192.0.2.10", "b.example"),
                    sinkhole(3, "2001:db8::10", "c.example"))));

    assertTrue(
        text.endsWith(
            "\na.example CNAME sinkhole.example.net. ; cm1\n*.a.example CNAME sinkhole.example.net. ; cm1\n"
                + "b.example A 192.0.2.10 ; cm2\n*.b.example A 192.0.2.10 ; cm2\n"
                + "c.example AAAA 2001:db8::10 ; cm3\n*.c.example AAAA 2001:db8::10 ; cm3\n"),
        text);
  }

  @Test
  void generate_twoSinkholesForOneName_theOneApprovedLastWinsInAnyOrder() {
    CountermeasureTerms older = sinkhole(4, "192.0.2.10", "evil.example");
    CountermeasureTerms newer = sinkhole(9, "sinkhole.example.net", "evil.example");

    String one = text(new RuleInput(1, List.of(older, newer)));
    String other = text(new RuleInput(1, List.of(newer, older)));

    assertEquals(one, other);
    assertTrue(one.contains("\nevil.example CNAME sinkhole.example.net. ; cm9\n"), one);
    assertTrue(!one.contains("192.0.2.10"), one);
  }

  @Test
  void generate_blockAndSinkholeForOneName_blockWinsAndAlertLoses() {
    String text =
        text(
            new RuleInput(
                1,
                List.of(
                    sinkhole(7, "192.0.2.10", "evil.example", "watch.example"),
                    new CountermeasureTerms(2, Action.BLOCK, List.of(new DomainTerm("evil.example"))),
                    new CountermeasureTerms(
                        8, Action.ALERT, List.of(new DomainTerm("watch.example"))))));

    assertTrue(text.contains("\nevil.example CNAME . ; cm2\n"), text);
    assertTrue(text.contains("\nwatch.example A 192.0.2.10 ; cm7\n"), text);
  }

  private static String text(RuleInput input) {
    return ((GenerationResult.Rules) new RpzGenerator().generate(input)).text();
  }

  private static CountermeasureTerms sinkhole(long id, String destination, String... names) {
    return new CountermeasureTerms(
        id,
        Action.SINKHOLE,
        java.util.Arrays.stream(names).<io.bulwark.rules.term.Term>map(DomainTerm::new).toList(),
        io.bulwark.rules.spi.Sinkhole.parse(destination));
  }
}
