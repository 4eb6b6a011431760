package io.bulwark.controller.approve;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.correlate.Defang;
import io.bulwark.rules.spi.Sinkhole;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.Term;
import java.util.Collection;
import java.util.List;

/**
 * Checks the sinkhole of an approval: required for the sinkhole action and refused for the others,
 * a host name (IDNA names become their ASCII form) or one IPv4 or IPv6 address, an address the
 * guard rails do not protect (unless the approval overrides them), for indicators with at least one
 * domain name (the only terms a sinkhole enforces), and not a name the
 * countermeasure itself sinkholes (the answer would point back into the policy). Stateless.
 */
final class SinkholeDestinations {
  /** Longer input is refused before it is parsed or quoted. */
  private static final int MAX_INPUT = 300;

  private SinkholeDestinations() {}

  /**
   * The canonical sinkhole of an approval, or null for block and alert.
   *
   * @param text the destination as the CSIRT gave it; null or empty when none was given
   * @param terms the terms the countermeasure would enforce
   * @param collisions receives a guard-rail collision of the address, worded like those of terms
   * @throws InvalidRequestException naming what is wrong with the destination
   */
  static String check(Countermeasure.Action action, String text, Collection<Term> terms, GuardRails guardRails,
      List<String> collisions) {
    boolean given = text != null && !text.isBlank();
    if (action != Countermeasure.Action.SINKHOLE) {
      if (given) {
        throw new InvalidRequestException("a sinkhole is given only with action sinkhole, not with action "
            + action.label());
      }
      return null;
    }
    if (!given) {
      throw new InvalidRequestException(
          "action sinkhole needs a sinkhole: a host name (sinkhole.example.net) or an IP address (192.0.2.10)");
    }
    if (terms.stream().noneMatch(t -> t instanceof DomainTerm)) {
      throw new InvalidRequestException("nothing to sinkhole: the indicators have no domain names, and a sinkhole"
          + " enforces domain names only (approve them with action block)");
    }
    if (text.length() > MAX_INPUT) {
      throw new InvalidRequestException("the sinkhole is " + text.length() + " characters long, more than a host name");
    }
    Sinkhole sinkhole;
    try {
      sinkhole = Sinkhole.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("sinkhole '" + Defang.text(text.trim()) + "': " + e.getMessage());
    }
    if (sinkhole instanceof Sinkhole.Address address) {
      guardRails.check(address.address()).ifPresent(c -> collisions.add("sinkhole " + c));
    } else {
      DomainTerm name = ((Sinkhole.Name) sinkhole).domain();
      for (Term term : terms) {
        if (term instanceof DomainTerm domain && name.isWithin(domain)) {
          throw new InvalidRequestException("the sinkhole " + Defang.text(name.name()) + " is "
              + (name.equals(domain) ? "" : "under ") + Defang.text(domain.name())
              + ", a name this countermeasure sinkholes: its answers would point back into the policy");
        }
      }
    }
    return sinkhole.text();
  }
}
