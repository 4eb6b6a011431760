package io.bulwark.controller.domain;

import java.util.function.Supplier;

/**
 * Runs work that touches several stores as one transaction: what the stores do inside {@code work}
 * on this thread joins it, so a crash keeps all of it or none (a report and its audit entry, say).
 */
public interface Atomic {

  /** Runs {@code work} in one transaction and returns its result; a throw rolls all of it back. */
  <T> T inOne(Supplier<T> work);
}
