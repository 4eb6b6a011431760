package io.bulwark.agent.apply;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts a device's native rule set in place on this host.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #apply} is called from one thread at a time and may block (for example while a host
 *       command runs), but must return within a bounded time.
 *   <li>It is all or nothing: on {@link ApplyOutcome.Failed} the rules that were in place before
 *       are still in place.
 *   <li>It never throws for rules it cannot use; it returns {@code Failed} with a reason an
 *       operator can act on (for nftables, what nft printed).
 *   <li>It touches only what Bulwark owns on the host, never rules others put there.
 * </ul>
 */
public interface Applier {

  /** The applier's name as reported to the controller: "nftables" or "dry-run". */
  String kind();

  /**
   * Applies {@code rules} (the controller's rule set, already checked against its digest) and
   * verifies what the host now holds.
   *
   * @param rules never null
   */
  ApplyOutcome apply(String rules);

  /**
   * {@link #apply(String)} for rules that {@code change} rebuilt from others; the same contract.
   * An applier that can put only the change in place may, when {@code change.base()} is what it
   * last applied; by default the rules are applied whole. The change is already checked against
   * the signed digest, but the rules may still be being made from it: {@code rules} gives them,
   * waiting if need be, and throws an unchecked exception when they could not be made. An applier
   * that put the change in place before asking then puts the previous rules back and returns
   * {@link ApplyOutcome.Failed}; one that asks first may let the exception through, nothing applied.
   */
  default ApplyOutcome apply(Supplier<String> rules, LineChange change) {
    return apply(rules.get());
  }

  /**
   * What is in place now, in a form {@link #restore} accepts; taken before an apply so that
   * commit-confirm can put it back. An empty string means "nothing of ours is in place". An
   * applier that cannot afford to read what is in place (nftables beyond {@link
   * NftablesApplier#FULL_COMPARE_LIMIT} elements) may give the rules it last applied instead;
   * its drift checks watch for changes by hand.
   *
   * @return empty when the current state cannot be read (then nothing must be applied)
   */
  Optional<String> snapshot();

  /**
   * Puts a {@link #snapshot} back, all or nothing, without any read-back comparison beyond what
   * the host command checks. Same threading and time rules as {@link #apply}.
   */
  ApplyOutcome restore(String snapshot);

  /**
   * Compares what is live on the host with {@code appliedRules}, the rules last applied and
   * verified. Must stay cheap for large rule sets (never list a huge set just to compare it).
   * Same threading and time rules as {@link #apply}; never throws.
   */
  LiveState inspect(String appliedRules);

  /**
   * Told once at start-up, before any apply, of the rules the agent last applied and verified (from
   * its own records). An applier may take them as what is in place instead of reading a large live
   * state back; the drift check still compares. Same threading rules as {@link #apply}. Ignored by
   * default.
   */
  default void known(String appliedRules) {}
}
