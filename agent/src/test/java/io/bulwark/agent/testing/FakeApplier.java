package io.bulwark.agent.testing;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.ApplyOutcome;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An applier that records what it was given and answers with queued outcomes (Applied by default).
 */
public final class FakeApplier implements Applier {

  private final String kind;
  private final ConcurrentLinkedDeque<ApplyOutcome> outcomes = new ConcurrentLinkedDeque<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();

  public FakeApplier(String kind) {
    this.kind = kind;
  }

  /** The next apply returns {@code outcome}. */
  public FakeApplier then(ApplyOutcome outcome) {
    outcomes.add(outcome);
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
  public ApplyOutcome apply(String rules) {
    applied.add(rules);
    ApplyOutcome next = outcomes.poll();
    return next == null ? new ApplyOutcome.Applied("fake: " + rules.length() + " chars") : next;
  }
}
