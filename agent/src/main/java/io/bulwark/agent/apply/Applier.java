package io.bulwark.agent.apply;

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
}
