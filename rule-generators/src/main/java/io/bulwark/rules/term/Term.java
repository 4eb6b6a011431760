package io.bulwark.rules.term;

/**
 * One normalised value that a device can enforce, such as an address prefix or a port.
 *
 * <p>Terms are immutable values, equal when they denote the same thing: {@code 10.0.0.0/8} written
 * any legal way is one term. A term is only ever built from a value that has been parsed and
 * validated, so its {@link #toString()} is a canonical rendering that contains no text copied from
 * a feed. Generators still render terms in their own syntax rather than pasting {@code toString()}.
 *
 * <p>More kinds may join this hierarchy; generators must report kinds they cannot express as
 * uncovered instead of failing.
 */
public sealed interface Term permits IpPrefix, PortTerm, DomainTerm, UrlTerm, HashTerm, EmailTerm {

  /**
   * Returns a short lowercase name of this kind of term, for messages: {@code ip-prefix}, {@code
   * port}, {@code domain}, {@code url}, {@code hash}, {@code email}.
   */
  String kind();
}
