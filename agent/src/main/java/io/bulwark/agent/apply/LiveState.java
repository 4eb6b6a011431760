package io.bulwark.agent.apply;

import java.util.Objects;

/** What an {@link Applier} found when it compared the host's live rules with what it applied. */
public sealed interface LiveState {

  /** The live rules are what was applied. */
  record InSync() implements LiveState {}

  /**
   * Someone or something changed the rules.
   *
   * @param difference a short summary of the first difference found
   */
  record Drifted(String difference) implements LiveState {
    public Drifted {
      Objects.requireNonNull(difference, "difference");
    }
  }

  /** The live rules could not be read; nothing is known. */
  record Unknown(String reason) implements LiveState {
    public Unknown {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
