package io.bulwark.controller.ingest;

import io.bulwark.controller.domain.StoredIndicator;
import java.util.List;

/**
 * Tells which of an indicator's enforceable terms collide with the allowlist of the guard rails,
 * which would refuse to approve them. Ingest and the indicator views use it so the CSIRT sees the
 * collision before trying to approve. Implementations are pure and thread-safe.
 */
@FunctionalInterface
public interface AllowlistCheck {
  /** Checks nothing. */
  AllowlistCheck NONE = indicator -> List.of();

  /** One line per colliding term, such as {@code 8.8.8.8 overlaps 8.8.8.8 (public resolver)}; empty if none. */
  List<String> collisions(StoredIndicator indicator);
}
