package io.bulwark.rules.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftablesDeltaTest {

  private final NftablesGenerator generator = new NftablesGenerator();

  @Test
  void delta_sameShape_deletesFirstThenAddsOnlyChangedElements() {
    RuleInput from = input(1, "192.0.2.1", "192.0.2.2", "2001:db8::1");
    RuleInput to = input(2, "192.0.2.2", "198.51.100.0/24", "2001:db8::2");

    assertEquals(
        "delete element inet bulwark cm1_v4 { 192.0.2.1 }\n"
            + "delete element inet bulwark cm1_v6 { 2001:db8::1 }\n"
            + "add element inet bulwark cm1_v4net { 198.51.100.0/24 }\n"
            + "add element inet bulwark cm1_v6 { 2001:db8::2 }\n",
        text(generator.delta(from, to)));
  }

  @Test
  void delta_equalInputs_isEmpty() {
    RuleInput input = input(1, "192.0.2.1");
    assertEquals("", text(generator.delta(input, input)));
  }

  @Test
  void delta_setBecomesEmpty_replacesTheWholeTable() {
    RuleInput from = input(1, "192.0.2.1", "2001:db8::1");
    RuleInput to = input(2, "192.0.2.1");

    String delta = text(generator.delta(from, to));

    String full = text(generator.generate(to));
    assertEquals("table inet bulwark {}\ndelete table inet bulwark\n" + full, delta);
  }

  @Test
  void delta_invalidPrevious_isInvalidNamingIt() {
    CountermeasureTerms bad = new CountermeasureTerms(0, Action.BLOCK, List.of());
    GenerationResult result = generator.delta(new RuleInput(1, List.of(bad)), input(2));
    assertTrue(
        result instanceof GenerationResult.Invalid invalid
            && invalid.reason().startsWith("previous generation: "));
  }

  private static String text(GenerationResult result) {
    return ((GenerationResult.Rules) result).text();
  }

  private static RuleInput input(long generation, String... prefixes) {
    List<Term> terms =
        java.util.Arrays.stream(prefixes)
            .<Term>map(p -> ((TermParse.Valid<IpPrefix>) IpPrefix.parse(p)).term())
            .toList();
    return new RuleInput(generation, List.of(new CountermeasureTerms(1, Action.BLOCK, terms)));
  }
}
