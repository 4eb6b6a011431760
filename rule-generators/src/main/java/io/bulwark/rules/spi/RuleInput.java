package io.bulwark.rules.spi;

import java.util.List;

/**
 * Everything a generator needs to render one device's rule set.
 *
 * @param generation the desired-state generation this rule set belongs to; it identifies the input
 *     and, for most targets, does not change the rendered rules, so equal countermeasures give
 *     equal text and an equal digest in any generation. A target whose format needs a rising
 *     version says so (the RPZ target renders it as the SOA serial)
 * @param countermeasures the active countermeasures in the device's scope, in any order; never
 *     null, possibly empty (which means "nothing enforced")
 */
public record RuleInput(long generation, List<CountermeasureTerms> countermeasures) {

  public RuleInput {
    countermeasures = List.copyOf(countermeasures);
  }
}
