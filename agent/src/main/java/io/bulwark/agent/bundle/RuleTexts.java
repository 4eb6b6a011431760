package io.bulwark.agent.bundle;

import io.bulwark.delta.LineText;

/**
 * Where verified rule sets are kept. An agent alone keeps the text it verified ({@link #OWN});
 * many agents in one process, as in the fleet simulator, can keep one copy of each rule set they
 * all verified. Implementations are thread-safe.
 */
@FunctionalInterface
public interface RuleTexts {

  /** Each agent keeps its own text. */
  RuleTexts OWN = (digest, verified) -> verified;

  /**
   * The text to keep for {@code verified}, which the caller checked to be the rules of {@code
   * digest} (their SHA-256, or the block digest signed with it): {@code verified} itself, or an
   * equal text kept before under the same verified digest.
   */
  LineText share(String digest, LineText verified);
}
