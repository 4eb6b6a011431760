package io.bulwark.controller.approve;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.domain.UnknownIndicatorException;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.Coverage;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an approval would do, before it is made: the devices in scope, per target how many of
 * the terms it would enforce and what it cannot (coverage, per indicator), the collisions with
 * the guard rails, and whether the policy would hold it for a second approver. Changes nothing.
 * Thread-safe.
 */
public final class ImpactPreview {
  private final IndicatorStore indicators;
  private final DeviceStore devices;
  private final IndicatorTerms terms;
  private final GeneratorRegistry generators;
  private final GuardRails guardRails;
  private final ApprovalPolicy policy;
  private final Clock clock;

  public ImpactPreview(IndicatorStore indicators, DeviceStore devices, IndicatorTerms terms,
      GeneratorRegistry generators, GuardRails guardRails, ApprovalPolicy policy, Clock clock) {
    this.indicators = indicators;
    this.devices = devices;
    this.terms = terms;
    this.generators = generators;
    this.guardRails = guardRails;
    this.policy = policy;
    this.clock = clock;
  }

  /** How one target would enforce one indicator: {@code enforced}, {@code partial} or {@code unsupported}. */
  public record IndicatorCoverage(String indicatorId, String coverage, String reason) {}

  /**
   * One device target in scope.
   *
   * @param devices how many devices in scope (and, with a canary, in the canary) have this target
   * @param termsEnforced of the countermeasure's terms, how many this target's rule set would carry
   * @param termsLeftOut how many it would leave out (listed per indicator in {@code coverage})
   * @param problem empty, or why the target cannot build the rule set at all
   */
  public record TargetImpact(String target, int devices, int canaryDevices, int termsEnforced, int termsLeftOut,
      String problem, List<IndicatorCoverage> coverage) {}

  /**
   * The whole preview.
   *
   * @param unusable indicators that would enforce nothing (revoked, expired, no enforceable terms)
   * @param guardCollisions each indicator value (or sinkhole address) that hits a protected
   *     address; the approval is refused unless overridden
   * @param sinkhole the canonical sinkhole of a sinkhole approval, else null
   */
  public record Impact(int devicesInScope, int canaryDevices, int terms, List<TargetImpact> targets,
      List<String> unusable, List<String> guardCollisions, boolean needsSecondApprover, String sinkhole) {}

  /**
   * Previews approving {@code indicatorIds} with this action and scope.
   *
   * @param canary null for no staged rollout
   * @throws UnknownIndicatorException naming every id that is not stored
   */
  public Impact preview(List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary) {
    return preview(indicatorIds, action, scope, canary, null);
  }

  /**
   * As {@link #preview(List, Countermeasure.Action, Scope, Scope)}, with the sinkhole of a sinkhole
   * approval, checked as {@link Approvals} checks it.
   *
   * @throws InvalidRequestException naming what is wrong with the sinkhole
   */
  public Impact preview(List<String> indicatorIds, Countermeasure.Action action, Scope scope, Scope canary,
      String sinkhole) {
    List<StoredIndicator> found = Approvals.existing(indicators, indicatorIds, "preview");
    Instant now = clock.instant();
    List<String> unusable = new ArrayList<>();
    List<String> collisions = new ArrayList<>();
    Set<Term> all = new LinkedHashSet<>();
    for (StoredIndicator i : found) {
      var extraction = terms.of(i);
      if (!i.isEnforceableAt(now) || extraction.terms().isEmpty()) {
        unusable.add(i.id());
        continue;
      }
      all.addAll(extraction.terms());
      for (Term t : extraction.terms()) {
        guardRails.check(t).ifPresent(c -> collisions.add(i.id() + ": " + c));
      }
    }
    String destination = SinkholeDestinations.check(action, sinkhole, all, guardRails, collisions);
    Sinkhole spiSinkhole = destination == null ? null : Sinkhole.parse(destination);
    TreeMap<String, int[]> perTarget = new TreeMap<>();
    int inScope = 0;
    int inCanary = 0;
    for (Device d : devices.list()) {
      if (!scope.covers(d)) {
        continue;
      }
      inScope++;
      boolean canaryDevice = canary != null && canary.covers(d);
      inCanary += canaryDevice ? 1 : 0;
      int[] counts = perTarget.computeIfAbsent(d.target(), k -> new int[2]);
      counts[0]++;
      counts[1] += canaryDevice ? 1 : 0;
    }
    List<TargetImpact> targets = new ArrayList<>();
    perTarget.forEach((target, counts) ->
        targets.add(target(target, counts[0], counts[1], action, spiSinkhole, found, all, now)));
    return new Impact(inScope, inCanary, all.size(), targets, unusable, collisions,
        policy.needsSecondApprover(scope, inScope), destination);
  }

  private TargetImpact target(String target, int deviceCount, int canaryCount, Countermeasure.Action action,
      Sinkhole sinkhole, List<StoredIndicator> found, Set<Term> all, Instant now) {
    RuleGenerator generator = generators.find(target).orElse(null);
    if (generator == null) {
      return new TargetImpact(target, deviceCount, canaryCount, 0, all.size(),
          "no rule generator for target '" + target + "'", List.of());
    }
    Action spiAction = io.bulwark.controller.compile.RuleSetCompiler.action(action);
    GenerationResult result = generator.generate(
        new RuleInput(1, List.of(new CountermeasureTerms(1, spiAction, List.copyOf(all), sinkhole))));
    int enforced = 0;
    String problem = "";
    if (result instanceof GenerationResult.Rules rules) {
      Set<Term> left = new HashSet<>();
      rules.uncovered().stream().filter(u -> !u.inPart()).forEach(u -> left.add(u.term()));
      left.retainAll(all);
      enforced = all.size() - left.size();
    } else if (result instanceof GenerationResult.Unsupported u) {
      problem = u.reason();
    } else {
      problem = ((GenerationResult.Invalid) result).reason();
    }
    List<IndicatorCoverage> coverage = new ArrayList<>();
    for (StoredIndicator i : found) {
      if (!i.isEnforceableAt(now)) {
        continue;
      }
      Coverage c = Coverage.assess(generator, terms.of(i), spiAction, sinkhole);
      String reason = c instanceof Coverage.Partial p ? p.reason() : c instanceof Coverage.Unsupported u ? u.reason() : "";
      coverage.add(new IndicatorCoverage(i.id(), c.label(), reason));
    }
    return new TargetImpact(target, deviceCount, canaryCount, enforced, all.size() - enforced, problem, coverage);
  }
}
