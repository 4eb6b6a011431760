package io.bulwark.controller.approve;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.GuardEntry;
import io.bulwark.controller.ingest.AllowlistCheck;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.term.UrlTerm;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to block what would hurt. Three layers, checked in order:
 *
 * <ol>
 *   <li>always protected, whatever the CSIRT allows: the controller's own addresses and names and
 *       the managed devices' addresses;
 *   <li>what the CSIRT allowed ({@link GuardEntry.Effect#ALLOW}): a term inside an allowed prefix or
 *       name does not collide with the next layer (for example one internal /16 of RFC 1918 space to
 *       quarantine a compromised host);
 *   <li>protected by default or by the CSIRT ({@link GuardEntry.Effect#PROTECT}): loopback,
 *       link-local, multicast and unspecified space, private ranges (RFC 1918, RFC 4193), well-known
 *       public resolvers, software update domains.
 * </ol>
 *
 * An address term collides when it overlaps a protected prefix either way: blocking 10.0.0.0/8 hits
 * a controller at 10.1.2.3 as surely as blocking 10.1.2.3 does. A domain (or a URL's host) collides
 * with a protected name it equals, is under, or is above: blocking example.com blocks
 * update.example.com. Thread-safe: the CSIRT's entries and the device addresses are replaced as a
 * whole by {@link #update}, which readers see at once.
 */
public final class GuardRails {
  /** A protected or allowed prefix or name and why. */
  public record Protected(Term value, String why) {}

  /** A term of an indicator that hits a protected prefix or name. */
  public record Collision(Term term, Protected hit) {
    @Override
    public String toString() {
      return term + " overlaps " + hit.value() + " (" + hit.why() + ")";
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
    {"2620:fe::fe", "public resolver"},
    {"windowsupdate.com", "software updates"}, {"update.microsoft.com", "software updates"},
    {"deb.debian.org", "software updates"}, {"security.debian.org", "software updates"},
    {"archive.ubuntu.com", "software updates"}, {"security.ubuntu.com", "software updates"}
  };

  private final List<Protected> fixed;
  private final List<Protected> base;
  private volatile Layers layers;

  private record Layers(List<Protected> always, List<Protected> allowed, List<Protected> guarded) {}

  /** Guard rails protecting {@code guarded} (and what {@link #update} adds), nothing else. */
  public GuardRails(List<Protected> guarded) {
    this(List.of(), guarded);
  }

  private GuardRails(List<Protected> always, List<Protected> guarded) {
    this.fixed = List.copyOf(always);
    this.base = List.copyOf(guarded);
    this.layers = new Layers(fixed, List.of(), base);
  }

  /** The default guard plus the controller's own addresses. */
  public static GuardRails withDefaults(Collection<InetAddress> controllerAddresses) {
    return withDefaults(controllerAddresses, List.of());
  }

  /** The default guard plus the controller's own addresses and names. */
  public static GuardRails withDefaults(Collection<InetAddress> controllerAddresses, Collection<String> controllerNames) {
    List<Protected> defaults = new ArrayList<>();
    for (String[] d : DEFAULTS) {
      defaults.add(new Protected(parse(d[0]), d[1]));
    }
    List<Protected> always = new ArrayList<>();
    for (InetAddress a : controllerAddresses) {
      always.add(new Protected(parse(a.getHostAddress().replaceAll("%.*$", "")), "the controller's own address"));
    }
    for (String name : controllerNames) {
      value(name).filter(t -> t instanceof DomainTerm)
          .ifPresent(t -> always.add(new Protected(t, "the controller's own name")));
    }
    return new GuardRails(always, defaults);
  }

  /**
   * Replaces what the CSIRT protected and allowed, and the managed devices' addresses.
   *
   * @param entries the CSIRT's entries; a value that is not an address, prefix or domain is skipped
   * @param deviceAddresses the managed devices' addresses, each with the device's name
   */
  public void update(List<GuardEntry> entries, List<Protected> deviceAddresses) {
    List<Protected> always = new ArrayList<>(fixed);
    always.addAll(deviceAddresses);
    List<Protected> allowed = new ArrayList<>();
    List<Protected> guarded = new ArrayList<>(base);
    for (GuardEntry e : entries) {
      Optional<Term> v = value(e.value());
      if (v.isEmpty()) {
        continue;
      }
      String why = e.reason() + " (" + (e.effect() == GuardEntry.Effect.ALLOW ? "allowed" : "protected") + " by "
          + e.addedBy() + ")";
      (e.effect() == GuardEntry.Effect.ALLOW ? allowed : guarded).add(new Protected(v.get(), why));
    }
    layers = new Layers(List.copyOf(always), List.copyOf(allowed), List.copyOf(guarded));
  }

  /** What is protected whatever the CSIRT's entries say, then by default: {@code VALUE (WHY)}. */
  public List<String> builtIn() {
    List<String> out = new ArrayList<>();
    Layers now = layers;
    now.always().forEach(p -> out.add(p.value() + " (" + p.why() + ", always)"));
    base.forEach(p -> out.add(p.value() + " (" + p.why() + ")"));
    return out;
  }

  /** The first protection the term hits, if any. Ports and hashes never collide. */
  public Optional<Collision> check(Term term) {
    Term subject = term instanceof UrlTerm u ? u.host() : term;
    Layers now = layers;
    Optional<Collision> always = first(term, subject, now.always());
    if (always.isPresent()) {
      return always;
    }
    for (Protected allowed : now.allowed()) {
      if (within(subject, allowed.value())) {
        return Optional.empty();
      }
    }
    return first(term, subject, now.guarded());
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

  /** An address, prefix or domain as the guard compares it, or empty when it is none of these. */
  public static Optional<Term> value(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    if (IpPrefix.parse(text.strip()) instanceof TermParse.Valid<IpPrefix> v) {
      return Optional.of(v.term());
    }
    if (DomainTerm.parse(text.strip()) instanceof TermParse.Valid<DomainTerm> d) {
      return Optional.of(d.term());
    }
    return Optional.empty();
  }

  private static Optional<Collision> first(Term term, Term subject, List<Protected> list) {
    for (Protected p : list) {
      if (overlaps(subject, p.value())) {
        return Optional.of(new Collision(term, p));
      }
    }
    return Optional.empty();
  }

  private static boolean overlaps(Term subject, Term guard) {
    if (subject instanceof IpPrefix s && guard instanceof IpPrefix g) {
      return g.family() == s.family() && (g.contains(s) || s.contains(g));
    }
    if (subject instanceof DomainTerm s && guard instanceof DomainTerm g) {
      return s.isWithin(g) || g.isWithin(s);
    }
    return false;
  }

  private static boolean within(Term subject, Term allowed) {
    if (subject instanceof IpPrefix s && allowed instanceof IpPrefix a) {
      return a.family() == s.family() && a.contains(s);
    }
    return subject instanceof DomainTerm s && allowed instanceof DomainTerm a && s.isWithin(a);
  }

  private static Term parse(String text) {
    return value(text).orElseThrow(() -> new IllegalArgumentException("bad built-in guard value " + text));
  }
}
