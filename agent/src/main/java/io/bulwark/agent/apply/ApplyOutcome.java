package io.bulwark.agent.apply;

import java.util.Objects;

/** What an {@link Applier} did with a rule set: applied and verified, or not applied. */
public sealed interface ApplyOutcome {

  /**
   * The rules are in place and reading them back matched what was sent.
   *
   * @param readBackSummary a one-line description of what was read back, for logs
   */
  record Applied(String readBackSummary) implements ApplyOutcome {
    public Applied {
      Objects.requireNonNull(readBackSummary, "readBackSummary");
    }
  }

  /**
   * Nothing changed on the host (or a partial change was rolled back).
   *
   * @param error why, in the device's own words where there are any
   */
  record Failed(String error) implements ApplyOutcome {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }
}
