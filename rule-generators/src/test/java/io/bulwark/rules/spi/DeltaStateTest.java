package io.bulwark.rules.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.testing.DeltaPairs;
import io.bulwark.rules.testing.GoldenCase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every delta target: the delta a {@link DeltaState} renders from a {@link RuleChange} is the one
 * {@link DeltaGenerator#delta} renders from the two whole inputs, and the state then holds the new
 * input.
 */
class DeltaStateTest {

  static Stream<DeltaGenerator> deltaTargets() {
    GeneratorRegistry registry = GeneratorRegistry.load();
    return registry.ids().stream()
        .map(id -> registry.find(id).orElseThrow())
        .filter(DeltaGenerator.class::isInstance)
        .map(DeltaGenerator.class::cast);
  }

  @ParameterizedTest
  @MethodSource("deltaTargets")
  void apply_everyGoldenPair_rendersTheDeltaOfBothInputs(DeltaGenerator generator) {
    if (GoldenCase.all(generator.id()).findAny().isEmpty()) {
      return;
    }
    DeltaPairs.everyGoldenPair(generator.id(), (from, to) -> assertStep(generator, from, to));
  }

  @ParameterizedTest
  @MethodSource("deltaTargets")
  void apply_runOfRandomGenerations_followsEveryOneWithOneState(DeltaGenerator generator) {
    DeltaState[] state = {null};
    RuleInput[] last = {null};
    DeltaPairs.randomGenerations(
        11,
        (from, to) -> {
          if (state[0] == null) {
            state[0] = generator.track(from).state();
          }
          GenerationResult expected = generator.delta(from, to);
          GenerationResult actual = state[0].apply(RuleChange.between(from, to));
          assertSameRules(expected, actual, from, to);
          last[0] = to;
        });
    assertEquals(multisets(last[0]), multisets(state[0].input()));
    assertEquals(last[0].generation(), state[0].generation());
  }

  @ParameterizedTest
  @MethodSource("deltaTargets")
  void apply_runOfSmallChanges_rendersTheDeltaOfBothInputsEveryTime(DeltaGenerator generator) {
    Random random = new Random(3);
    RuleInput input =
        new RuleInput(
            1,
            List.of(
                new CountermeasureTerms(1, Action.BLOCK, List.of(POOL.get(0), POOL.get(5))),
                new CountermeasureTerms(2, Action.ALERT, List.of(POOL.get(1), POOL.get(10)))));
    DeltaState state = generator.track(input).state();
    int elementDeltas = 0;
    for (int generation = 2; generation < 600; generation++) {
      RuleChange change = smallChange(random, input, generation);
      RuleInput next = change.applyTo(input);
      GenerationResult expected = generator.delta(input, next);
      assertSameRules(expected, state.apply(change), input, next);
      if (expected instanceof GenerationResult.Rules rules
          && !rules.text().isEmpty()
          && !rules.text().equals(((GenerationResult.Rules) generator.generate(next)).text())
          && !rules.text().contains("table inet bulwark {}")) {
        elementDeltas++;
      }
      input = next;
    }
    assertEquals(multisets(input), multisets(state.input()));
    assertTrue(elementDeltas > 50, "deltas that are not a full rule set: " + elementDeltas);
  }

  /** Prefixes that nest (a /8 over a /16 over an address, ...), ports and a domain. */
  private static final List<Term> POOL =
      List.of(
          prefix("192.0.2.0/24"),
          prefix("192.0.2.1"),
          prefix("192.0.2.128/25"),
          prefix("192.0.2.200"),
          prefix("10.0.0.0/8"),
          prefix("10.1.0.0/16"),
          prefix("10.1.2.3"),
          prefix("198.51.100.7"),
          prefix("2001:db8::/32"),
          prefix("2001:db8::1"),
          prefix("2001:db8:1::/48"),
          prefix("2001:db8:1::5"),
          new PortTerm(Protocol.TCP, 445),
          new PortTerm(Protocol.UDP, 53),
          new PortTerm(Protocol.SCTP, 36412),
          new DomainTerm("evil.example"));

  /** Removes and adds up to two terms of one countermeasure of {@code input}. */
  private static RuleChange smallChange(Random random, RuleInput input, long generation) {
    CountermeasureTerms cm = input.countermeasures().get(random.nextInt(2));
    List<Term> removed = new ArrayList<>();
    List<Term> held = new ArrayList<>(cm.terms());
    for (int i = random.nextInt(3); i > 0 && !held.isEmpty(); i--) {
      removed.add(held.remove(random.nextInt(held.size())));
    }
    List<Term> added = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      added.add(POOL.get(random.nextInt(POOL.size())));
    }
    long id = cm.countermeasureId();
    return new RuleChange(
        generation,
        List.of(),
        removed.isEmpty() ? List.of() : List.of(new CountermeasureTerms(id, cm.action(), removed)),
        added.isEmpty() ? List.of() : List.of(new CountermeasureTerms(id, cm.action(), added)));
  }

  @ParameterizedTest
  @MethodSource("deltaTargets")
  void apply_changeThatDoesNotFit_isInvalidAndLeavesTheStateAsItWas(DeltaGenerator generator) {
    RuleInput from = input(1, List.of(prefix("192.0.2.1"), new PortTerm(Protocol.TCP, 22)));
    RuleInput to = input(2, List.of(prefix("192.0.2.1"), prefix("198.51.100.0/24")));
    DeltaState state = generator.track(from).state();

    List<RuleChange> misfits =
        List.of(
            new RuleChange(
                2, List.of(), List.of(cm(1, Action.BLOCK, prefix("192.0.2.9"))), List.of()),
            new RuleChange(
                2,
                List.of(),
                List.of(cm(1, Action.BLOCK, prefix("192.0.2.1"), prefix("192.0.2.1"))),
                List.of()),
            new RuleChange(
                2, List.of(), List.of(cm(1, Action.ALERT, prefix("192.0.2.1"))), List.of()),
            new RuleChange(2, List.of(7L), List.of(), List.of()),
            new RuleChange(
                2, List.of(), List.of(), List.of(cm(1, Action.ALERT, prefix("192.0.2.5")))),
            new RuleChange(2, List.of(), List.of(), List.of(cm(0, Action.BLOCK))),
            new RuleChange(
                2, List.of(), List.of(), List.of(cm(3, Action.BLOCK), cm(3, Action.BLOCK))));
    for (RuleChange misfit : misfits) {
      GenerationResult result = state.apply(misfit);
      GenerationResult.Invalid invalid = assertInstanceOf(GenerationResult.Invalid.class, result);
      assertTrue(invalid.reason().startsWith("countermeasure "), invalid.reason());
    }

    assertEquals(1, state.generation());
    assertSameRules(generator.delta(from, to), state.apply(RuleChange.between(from, to)), from, to);
  }

  @ParameterizedTest
  @MethodSource("deltaTargets")
  void apply_addedTermOfAnotherKind_isTheOnlyUncoveredTerm(DeltaGenerator generator) {
    DomainTerm held = new DomainTerm("held.example");
    DomainTerm added = new DomainTerm("added.example");
    RuleInput from = input(1, List.of(prefix("192.0.2.1"), held));
    RuleInput to = input(2, List.of(prefix("192.0.2.1"), held, added));
    List<Uncovered> before = ((GenerationResult.Rules) generator.generate(from)).uncovered();
    if (before.stream().noneMatch(uncovered -> uncovered.term().equals(held))) {
      return; // the target enforces domains
    }
    DeltaState state = generator.track(from).state();

    GenerationResult.Rules rules =
        assertInstanceOf(GenerationResult.Rules.class, state.apply(RuleChange.between(from, to)));

    assertEquals(List.of(added), rules.uncovered().stream().map(Uncovered::term).toList());
  }

  private static void assertStep(DeltaGenerator generator, RuleInput from, RuleInput to) {
    DeltaGenerator.Tracked tracked = generator.track(from);
    assertEquals(generator.generate(from), tracked.full());
    GenerationResult expected = generator.delta(from, to);
    assertSameRules(expected, tracked.state().apply(RuleChange.between(from, to)), from, to);
    RuleInput held = expected instanceof GenerationResult.Rules ? to : from;
    assertEquals(multisets(held), multisets(tracked.state().input()));
  }

  private static void assertSameRules(
      GenerationResult expected, GenerationResult actual, RuleInput from, RuleInput to) {
    String pair = "from " + from + "\nto " + to;
    if (expected instanceof GenerationResult.Rules rules) {
      GenerationResult.Rules got = assertInstanceOf(GenerationResult.Rules.class, actual, pair);
      assertEquals(rules.files(), got.files(), pair);
      assertEquals(rules.text(), got.text(), pair);
    } else {
      assertEquals(expected, actual, pair);
    }
  }

  /** Per countermeasure id, its action and how often it holds each term. */
  private static Map<Long, Map<Object, Integer>> multisets(RuleInput input) {
    Map<Long, Map<Object, Integer>> all = new HashMap<>();
    for (CountermeasureTerms cm : input.countermeasures()) {
      Map<Object, Integer> counts = new HashMap<>();
      counts.put(cm.action(), 1);
      cm.terms().forEach(term -> counts.merge(term, 1, Integer::sum));
      all.put(cm.countermeasureId(), counts);
    }
    return all;
  }

  private static RuleInput input(long generation, List<Term> terms) {
    return new RuleInput(generation, List.of(new CountermeasureTerms(1, Action.BLOCK, terms)));
  }

  private static CountermeasureTerms cm(long id, Action action, Term... terms) {
    return new CountermeasureTerms(id, action, new ArrayList<>(List.of(terms)));
  }

  private static IpPrefix prefix(String text) {
    return ((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term();
  }
}
