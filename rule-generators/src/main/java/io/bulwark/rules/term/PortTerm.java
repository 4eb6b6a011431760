package io.bulwark.rules.term;

import java.util.Comparator;
import java.util.Objects;

/**
 * A destination port of one transport protocol, such as TCP port 445.
 *
 * @param protocol the transport protocol, never null
 * @param port the destination port, 1 to 65535
 */
public record PortTerm(Protocol protocol, int port) implements Term, Comparable<PortTerm> {

  /** The lowest port a term may name. Port 0 is reserved and never carries traffic. */
  public static final int MIN_PORT = 1;

  /** The highest port a term may name. */
  public static final int MAX_PORT = 65535;

  private static final Comparator<PortTerm> ORDER =
      Comparator.comparing(PortTerm::protocol).thenComparingInt(PortTerm::port);

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException when {@code port} is outside 1 to 65535; use {@link #of} for
   *     values read from a feed
   */
  public PortTerm {
    Objects.requireNonNull(protocol, "protocol");
    if (port < MIN_PORT || port > MAX_PORT) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /**
   * Builds a port term from an untrusted number.
   *
   * @param protocol the transport protocol, never null
   * @param port the port as read, any value
   * @return the term, or the reason the number is not a port
   */
  public static TermParse<PortTerm> of(Protocol protocol, long port) {
    if (port < MIN_PORT || port > MAX_PORT) {
      return new TermParse.Invalid<>("port " + port + " is outside 1..65535");
    }
    return new TermParse.Valid<>(new PortTerm(protocol, (int) port));
  }

  @Override
  public String kind() {
    return "port";
  }

  /** Orders by protocol, then port number. */
  @Override
  public int compareTo(PortTerm other) {
    return ORDER.compare(this, other);
  }

  /** Returns {@code protocol/port}, for example {@code tcp/445}. */
  @Override
  public String toString() {
    return protocol.keyword() + "/" + port;
  }
}
