package io.bulwark.controller.domain;

import java.util.List;

/** Countermeasures. Thread-safe; each method is one transaction. */
public interface CountermeasureStore {

  /** Stores a new countermeasure; the id of the argument is ignored. Returns it with its id. */
  Countermeasure add(Countermeasure countermeasure);

  /** All countermeasures, oldest first. */
  List<Countermeasure> list();

  /** The countermeasure with this id, or empty. */
  java.util.Optional<Countermeasure> find(long id);

  /**
   * Moves a countermeasure from {@code from} to {@code to}, recording who did it. Atomic: of two
   * racing callers only one sees true. Becoming active (the second approval) moves its start to
   * {@code at} when it was earlier.
   */
  boolean transition(long id, Countermeasure.Status from, Countermeasure.Status to, String by, java.time.Instant at);

  /** Moves a staged rollout on; atomic like {@link #transition}. */
  boolean advanceRollout(long id, Countermeasure.Rollout from, Countermeasure.Rollout to);

  /** When each withdrawn countermeasure was withdrawn, by id. */
  java.util.Map<Long, java.time.Instant> withdrawals();
}
