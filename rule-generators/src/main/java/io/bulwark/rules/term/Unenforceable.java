package io.bulwark.rules.term;

import java.util.Objects;

/**
 * A part of a pattern that no term can express, with the reason.
 *
 * <p>Reported rather than dropped, so an analyst sees what a countermeasure does not cover. The
 * reason may quote values from the feed (shortened, with control characters escaped); anyone
 * showing it to a person must still escape it for the medium.
 *
 * @param reason what could not be enforced and why, never null
 */
public record Unenforceable(String reason) {
  public Unenforceable {
    Objects.requireNonNull(reason, "reason");
  }
}
