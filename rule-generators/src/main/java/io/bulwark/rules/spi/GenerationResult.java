package io.bulwark.rules.spi;

import io.bulwark.rules.Digests;
import java.util.List;
import java.util.Objects;

/** What a {@link RuleGenerator} made of a {@link RuleInput}. */
public sealed interface GenerationResult {

  /**
   * A rule set to deliver, possibly leaving out some terms.
   *
   * @param text the complete rule set in the target's syntax, never null
   * @param uncovered the terms left out, each with its countermeasure and reason; never null
   */
  record Rules(String text, List<Uncovered> uncovered) implements GenerationResult {
    public Rules {
      Objects.requireNonNull(text, "text");
      uncovered = List.copyOf(uncovered);
    }

    /** Returns {@link Digests#sha256Hex} of the text: the identity of this rule set. */
    public String digest() {
      return Digests.sha256Hex(text);
    }
  }

  /**
   * The target cannot take this input at all, for example a size it cannot hold.
   *
   * @param reason what the target lacks, never null
   */
  record Unsupported(String reason) implements GenerationResult {
    public Unsupported {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The input breaks the contract of {@link RuleInput}, for example two countermeasures with one
   * id. Points at a bug in the caller, not in the intelligence.
   *
   * @param reason what is wrong with the input, never null
   */
  record Invalid(String reason) implements GenerationResult {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
