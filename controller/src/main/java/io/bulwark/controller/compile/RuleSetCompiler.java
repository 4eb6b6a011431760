package io.bulwark.controller.compile;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.Digests;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.spi.Sinkhole;
import io.bulwark.rules.term.Term;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the countermeasures in force for a device into that device's native rule set. Pure
 * apart from reading the stores; thread-safe.
 */
public final class RuleSetCompiler {
  private final CountermeasureStore countermeasures;
  private final IndicatorStore indicators;
  private final IndicatorTerms terms;
  private final GeneratorRegistry generators;
  private final io.bulwark.controller.domain.ExceptionStore exceptions;
  private final Clock clock;

  public RuleSetCompiler(
      CountermeasureStore countermeasures,
      IndicatorStore indicators,
      IndicatorTerms terms,
      GeneratorRegistry generators,
      Clock clock) {
    this(countermeasures, indicators, terms, generators, io.bulwark.controller.domain.ExceptionStore.none(), clock);
  }

  /** With device exceptions: a device excepted from a countermeasure does not get its rules. */
  public RuleSetCompiler(
      CountermeasureStore countermeasures,
      IndicatorStore indicators,
      IndicatorTerms terms,
      GeneratorRegistry generators,
      io.bulwark.controller.domain.ExceptionStore exceptions,
      Clock clock) {
    this.countermeasures = countermeasures;
    this.indicators = indicators;
    this.terms = terms;
    this.generators = generators;
    this.exceptions = exceptions;
    this.clock = clock;
  }

  /** A compiled rule set, or why there is none. */
  public sealed interface Compiled {}

  /** The rules and their digest, and the input they were rendered from (for deltas). */
  public record RuleSet(String target, String rules, String digest, List<Long> countermeasureIds, RuleInput input)
      implements Compiled {
    public RuleSet {
      countermeasureIds = List.copyOf(countermeasureIds);
    }
  }

  /** The device's target cannot be compiled; the previous desired state stays. */
  public record Failed(String reason) implements Compiled {}

  /** Compiles the rule set {@code device} should have now. */
  public Compiled compile(Device device) {
    return pass().compile(device);
  }

  /**
   * One compilation pass over many devices: the countermeasures, exceptions and indicator terms
   * are read once, and devices whose inputs are the same (target, next generation, the
   * countermeasures that reach them) share one generated rule set instead of one compile each.
   * Not thread-safe; use one pass from one thread, then drop it.
   */
  public Pass pass() {
    return new Pass(clock.instant(), countermeasures.list(), exceptions.list());
  }

  /** See {@link #pass()}. */
  public final class Pass {
    private final Instant now;
    private final List<Countermeasure> active;
    private final java.util.Map<String, Set<Long>> exceptedByDevice = new java.util.HashMap<>();
    private final java.util.Map<Long, CountermeasureTerms> termsById = new java.util.HashMap<>();
    private final java.util.Map<String, Compiled> byInputs = new java.util.HashMap<>();
    private int generated;

    private Pass(Instant now, List<Countermeasure> all, List<io.bulwark.controller.domain.DeviceException> exceptions) {
      this.now = now;
      this.active = all.stream().filter(c -> c.isActiveAt(now)).toList();
      for (var e : exceptions) {
        if (e.isActiveAt(now)) {
          exceptedByDevice.computeIfAbsent(e.device(), d -> new java.util.HashSet<>()).add(e.countermeasureId());
        }
      }
    }

    /** The rule set {@code device} should have now. */
    public Compiled compile(Device device) {
      RuleGenerator generator = generators.find(device.target()).orElse(null);
      if (generator == null) {
        return new Failed("no rule generator for target '" + device.target() + "'");
      }
      Set<Long> excepted = exceptedByDevice.getOrDefault(device.name(), Set.of());
      List<Countermeasure> reaching = new ArrayList<>();
      for (Countermeasure c : active) {
        if (c.reaches(device) && !excepted.contains(c.id())) {
          reaching.add(c);
        }
      }
      long generation = device.desiredGeneration() + 1;
      StringBuilder key = new StringBuilder(device.target()).append('|').append(generation);
      reaching.forEach(c -> key.append('|').append(c.id()));
      return byInputs.computeIfAbsent(key.toString(), k -> generate(device.target(), generator, generation, reaching));
    }

    /** How many rule sets this pass generated (the rest were shared). */
    public int generated() {
      return generated;
    }

    private Compiled generate(String target, RuleGenerator generator, long generation, List<Countermeasure> reaching) {
      generated++;
      List<CountermeasureTerms> input = new ArrayList<>();
      for (Countermeasure c : reaching) {
        try {
          input.add(termsById.computeIfAbsent(c.id(), id -> termsOf(c)));
        } catch (IllegalArgumentException e) {
          // Only a stored row edited by hand gets here: the approval stored the sinkhole canonical.
          return new Failed("countermeasure " + c.id() + " has a sinkhole that is not valid: " + e.getMessage());
        }
      }
      RuleInput ruleInput = new RuleInput(generation, input);
      GenerationResult result = generator.generate(ruleInput);
      if (result instanceof GenerationResult.Rules rules) {
        List<Long> ids = input.stream().map(CountermeasureTerms::countermeasureId).toList();
        return new RuleSet(target, rules.text(), Digests.sha256Hex(rules.text()), ids, ruleInput);
      }
      if (result instanceof GenerationResult.Unsupported u) {
        return new Failed(u.reason());
      }
      return new Failed(((GenerationResult.Invalid) result).reason());
    }

    private CountermeasureTerms termsOf(Countermeasure c) {
      Set<Term> collected = new LinkedHashSet<>();
      for (StoredIndicator indicator : indicators.findLatest(c.indicatorIds())) {
        if (indicator.isEnforceableAt(now)) {
          collected.addAll(terms.of(indicator).terms());
        }
      }
      return new CountermeasureTerms(c.id(), action(c.action()), List.copyOf(collected), sinkhole(c));
    }
  }

  /**
   * The generators' sinkhole for a countermeasure, null unless its action is sinkhole.
   *
   * @throws IllegalArgumentException when the stored destination does not parse
   */
  public static Sinkhole sinkhole(Countermeasure c) {
    return c.sinkhole() == null ? null : Sinkhole.parse(c.sinkhole());
  }

  /** The generators' action for a countermeasure's action. */
  public static Action action(Countermeasure.Action action) {
    return switch (action) {
      case BLOCK -> Action.BLOCK;
      case ALERT -> Action.ALERT;
      case SINKHOLE -> Action.SINKHOLE;
    };
  }
}
