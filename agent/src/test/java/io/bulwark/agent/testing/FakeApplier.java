package io.bulwark.agent.testing;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.LineChange;
import io.bulwark.agent.apply.LiveState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An applier that records what it was given and answers with queued outcomes (Applied by default).
 */
public final class FakeApplier implements Applier {

  private final String kind;
  private final ConcurrentLinkedDeque<ApplyOutcome> outcomes = new ConcurrentLinkedDeque<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private final List<String> restored = new CopyOnWriteArrayList<>();
  private volatile String live = "";
  private final List<String> known = new CopyOnWriteArrayList<>();
  private volatile Runnable during = () -> { };

  public FakeApplier(String kind) {
    this.kind = kind;
  }

  /** The next apply returns {@code outcome}. */
  public FakeApplier then(ApplyOutcome outcome) {
    outcomes.add(outcome);
    return this;
  }

  /** {@code action} runs inside each apply, on the applying thread, before its outcome. */
  public FakeApplier during(Runnable action) {
    during = action;
    return this;
  }

  /** Every rule set passed to {@link #apply}, in order. */
  public List<String> applied() {
    return List.copyOf(applied);
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public void known(String appliedRules) {
    known.add(appliedRules);
  }

  /** Every rule set passed to {@link #known}, in order. */
  public List<String> known() {
    return List.copyOf(known);
  }

  @Override
  public ApplyOutcome apply(String rules) {
    applied.add(rules);
    during.run();
    ApplyOutcome next = outcomes.poll();
    ApplyOutcome outcome =
        next == null ? new ApplyOutcome.Applied("fake: " + rules.length() + " chars") : next;
    if (outcome instanceof ApplyOutcome.Applied) {
      live = rules;
    }
    return outcome;
  }

  /**
   * As an applier that puts a change in place from its edits alone: "in place" is the change
   * before the rules it makes are asked for; when they cannot be made, the base is put back.
   */
  @Override
  public ApplyOutcome apply(Supplier<String> rules, LineChange change) {
    live = "changed from " + change.base().length() + " chars by " + change.edits().size() + " edits";
    String made;
    try {
      made = rules.get();
    } catch (RuntimeException e) {
      restore(change.base());
      return new ApplyOutcome.Failed(e.getMessage() + "; the previous rules were put back");
    }
    return apply(made);
  }

  /** What is "in place": the last rules applied or restored. */
  public String live() {
    return live;
  }

  /** Changes the live rules behind the agent's back. */
  public void tamper(String rules) {
    live = rules;
  }

  @Override
  public Optional<String> snapshot() {
    return Optional.of(live);
  }

  @Override
  public LiveState inspect(String appliedRules) {
    return live.equals(appliedRules)
        ? new LiveState.InSync()
        : new LiveState.Drifted("fake: live rules differ");
  }

  @Override
  public ApplyOutcome restore(String snapshot) {
    restored.add(snapshot);
    live = snapshot;
    return new ApplyOutcome.Applied("fake restore");
  }

  /** Every snapshot passed to {@link #restore}, in order. */
  public List<String> restored() {
    return List.copyOf(restored);
  }
}
