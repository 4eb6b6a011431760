package io.bulwark.controller.approve;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.ingest.AllowlistCheck;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to block what would hurt: loopback, link-local, multicast and unspecified space,
 * private ranges (RFC 1918, RFC 4193), the controller's own addresses, and well-known public
 * resolvers. A term collides when it overlaps a protected prefix either way: blocking
 * 10.0.0.0/8 hits a controller at 10.1.2.3 as surely as blocking 10.1.2.3 does. Immutable and
 * thread-safe.
 */
public final class GuardRails {
  /** A protected prefix and why it is protected. */
  public record Protected(IpPrefix prefix, String why) {}

  /** A term of an indicator that hits a protected prefix. */
  public record Collision(Term term, Protected hit) {
    @Override
    public String toString() {
      return term + " overlaps " + hit.prefix() + " (" + hit.why() + ")";
    }
  }

  private static final String[][] DEFAULTS = {
    {"127.0.0.0/8", "loopback"}, {"::1", "loopback"}, {"0.0.0.0/8", "unspecified"}, {"::", "unspecified"},
    {"169.254.0.0/16", "link-local"}, {"fe80::/10", "link-local"}, {"224.0.0.0/4", "multicast"}, {"ff00::/8", "multicast"},
    {"10.0.0.0/8", "private (RFC 1918)"}, {"172.16.0.0/12", "private (RFC 1918)"}, {"192.168.0.0/16", "private (RFC 1918)"},
    {"fc00::/7", "unique local (RFC 4193)"},
    {"8.8.8.8", "public resolver"}, {"8.8.4.4", "public resolver"}, {"1.1.1.1", "public resolver"},
    {"1.0.0.1", "public resolver"}, {"9.9.9.9", "public resolver"}, {"149.112.112.112", "public resolver"},
    {"208.67.222.222", "public resolver"}, {"208.67.220.220", "public resolver"},
    {"2001:4860:4860::8888", "public resolver"}, {"2001:4860:4860::8844", "public resolver"},
    {"2606:4700:4700::1111", "public resolver"}, {"2606:4700:4700::1001", "public resolver"},
    {"2620:fe::fe", "public resolver"}
  };

  private final List<Protected> protectedPrefixes;

  public GuardRails(List<Protected> protectedPrefixes) {
    this.protectedPrefixes = List.copyOf(protectedPrefixes);
  }

  /** The default guard plus the controller's own addresses. */
  public static GuardRails withDefaults(Collection<InetAddress> controllerAddresses) {
    List<Protected> list = new ArrayList<>();
    for (String[] d : DEFAULTS) {
      list.add(new Protected(parse(d[0]), d[1]));
    }
    for (InetAddress a : controllerAddresses) {
      String text = a.getHostAddress().replaceAll("%.*$", "");
      list.add(new Protected(parse(text), "the controller's own address"));
    }
    return new GuardRails(list);
  }

  /** The first protected prefix the term overlaps, if any. Ports never collide. */
  public Optional<Collision> check(Term term) {
    if (!(term instanceof IpPrefix p)) {
      return Optional.empty();
    }
    for (Protected guard : protectedPrefixes) {
      IpPrefix g = guard.prefix();
      if (g.family() == p.family() && (g.contains(p) || p.contains(g))) {
        return Optional.of(new Collision(term, guard));
      }
    }
    return Optional.empty();
  }

  /** The allowlist check of ingest and the indicator views: the indicator's terms that these guard rails refuse. */
  public AllowlistCheck allowlistCheck(IndicatorTerms terms) {
    return indicator -> {
      List<String> out = new ArrayList<>();
      for (Term t : terms.of(indicator).terms()) {
        check(t).ifPresent(c -> out.add(c.toString()));
      }
      return out;
    };
  }

  private static IpPrefix parse(String text) {
    TermParse<IpPrefix> parsed = IpPrefix.parse(text);
    if (parsed instanceof TermParse.Valid<IpPrefix> v) {
      return v.term();
    }
    throw new IllegalArgumentException("bad built-in guard prefix " + text + ": " + parsed);
  }
}
