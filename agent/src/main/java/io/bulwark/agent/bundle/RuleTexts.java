package io.bulwark.agent.bundle;

import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.util.List;
import java.util.Optional;

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

  /**
   * The text kept under {@code digest}, which an agent checked to be the rules of that digest (by
   * their SHA-256, or by the block digest the same controller signed with it, as for {@link
   * #share}); empty when there is none (always, for {@link #OWN}). Rules equal to it are the rules
   * of that digest too, without being hashed again: the simulator's agents share that work, which
   * real agents do each on their own host.
   */
  default Optional<LineText> verified(String digest) {
    return Optional.empty();
  }

  /**
   * What an equal {@code delta} made of this very {@code base} (the same object) before, and the
   * signed digest its result was checked against; empty when unknown (always, for {@link #OWN}).
   * Rebuilding is a function of the base and the delta alone, so the result is the same rules,
   * which are the rules of a header signing the same digest.
   */
  default Optional<Rebuilt> rebuiltBefore(String base, RuleDelta delta) {
    return Optional.empty();
  }

  /** Tells what {@code delta} made of {@code base}, checked against {@code made.digest()}. */
  default void keepRebuilt(String base, RuleDelta delta, Rebuilt made) {}

  /** Rules rebuilt from a delta, checked against {@code digest}, with their edits as found in the base. */
  record Rebuilt(String digest, LineText lines, List<LineDelta.Edit> edits) {}
}
