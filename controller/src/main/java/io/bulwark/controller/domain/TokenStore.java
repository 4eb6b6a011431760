package io.bulwark.controller.domain;

import java.time.Instant;
import java.util.Optional;

/** One-time enrollment tokens. Thread-safe. */
public interface TokenStore {

  void add(EnrollmentToken token);

  /** The token with this id if it has not been consumed. */
  Optional<EnrollmentToken> findUnused(String id);

  /**
   * Marks the token used if it is still unused and unexpired at {@code now}. Atomic: of two
   * callers racing with the same token exactly one gets true.
   */
  boolean consume(String id, Instant now);
}
