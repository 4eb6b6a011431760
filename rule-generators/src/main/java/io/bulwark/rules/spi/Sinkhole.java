package io.bulwark.rules.spi;

import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import java.util.Objects;

/**
 * Where a {@link Action#SINKHOLE} countermeasure sends the names it covers: a host name (a DNS
 * target answers with a CNAME to it) or one IPv4 or IPv6 address (answered as an A or AAAA
 * record). Immutable; its {@link #text()} is canonical, so equal destinations have equal text.
 */
public sealed interface Sinkhole {

  /**
   * A host name to point the names at.
   *
   * @param domain the name, canonical, never null
   */
  record Name(DomainTerm domain) implements Sinkhole {
    public Name {
      Objects.requireNonNull(domain, "domain");
    }

    @Override
    public String text() {
      return domain.name();
    }
  }

  /**
   * One address to answer with.
   *
   * @param address a single address (/32 or /128), never null
   */
  record Address(IpPrefix address) implements Sinkhole {
    public Address {
      Objects.requireNonNull(address, "address");
      if (!address.isSingleAddress()) {
        throw new IllegalArgumentException("a sinkhole is one address, not the prefix " + address);
      }
    }

    /** Returns true for an IPv6 address (an AAAA record), false for IPv4 (an A record). */
    public boolean isV6() {
      return address.family() == IpPrefix.Family.V6;
    }

    @Override
    public String text() {
      return address.toString();
    }
  }

  /** Returns the canonical text: the ASCII host name, or the address without a prefix length. */
  String text();

  /**
   * Parses a destination given by a person: an IP address literal, else a host name (IDNA names
   * are converted to their ASCII form, a trailing dot is accepted).
   *
   * @param text the destination, may be null
   * @return the destination
   * @throws IllegalArgumentException saying why the text is neither; the message does not repeat
   *     the text, so callers decide how to quote it
   */
  static Sinkhole parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the sinkhole is empty: give a host name or an IP address");
    }
    TermParse<IpPrefix> ip = IpPrefix.parse(text);
    if (ip instanceof TermParse.Valid<IpPrefix> valid) {
      if (!valid.term().isSingleAddress()) {
        throw new IllegalArgumentException(
            "the sinkhole must be one address, not the prefix " + valid.term());
      }
      return new Address(valid.term());
    }
    if (text.indexOf(':') >= 0 || text.indexOf('/') >= 0 || text.matches("[0-9.]+")) {
      throw new IllegalArgumentException(
          "the sinkhole is not a valid IP address: " + ((TermParse.Invalid<IpPrefix>) ip).reason());
    }
    TermParse<DomainTerm> name = DomainTerm.parse(text);
    if (name instanceof TermParse.Valid<DomainTerm> valid) {
      return new Name(valid.term());
    }
    throw new IllegalArgumentException(
        "the sinkhole is neither an IP address nor a host name: "
            + ((TermParse.Invalid<DomainTerm>) name).reason());
  }
}
