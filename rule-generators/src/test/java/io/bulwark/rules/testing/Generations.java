package io.bulwark.rules.testing;

import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds pairs of consecutive generations with a seeded random, for delta tests and benchmarks. */
public final class Generations {

  private Generations() {}

  /**
   * Returns {@code size} distinct IPv4 terms, about one in eight a /24 and the rest addresses, in
   * 10.0.0.0/8 (addresses) and 100.64.0.0/10 (networks) so that they never overlap.
   */
  public static List<Term> ipv4Terms(int size, long seed) {
    Random random = new Random(seed);
    List<Term> terms = new ArrayList<>(size);
    java.util.Set<Integer> used = new java.util.HashSet<>();
    while (terms.size() < size) {
      boolean network = random.nextInt(8) == 0;
      int bits =
          network
              ? (0x64400000 | (random.nextInt(1 << 14) << 8))
              : (0x0A000000 | random.nextInt(1 << 24));
      if (used.add(bits)) {
        long address = bits & 0xFFFF_FFFFL;
        String text =
            ((address >>> 24) & 0xFF)
                + "."
                + ((address >>> 16) & 0xFF)
                + "."
                + ((address >>> 8) & 0xFF)
                + "."
                + (address & 0xFF)
                + (network ? "/24" : "");
        terms.add(((TermParse.Valid<IpPrefix>) IpPrefix.parse(text)).term());
      }
    }
    return terms;
  }

  /**
   * Returns {@code terms} with the first {@code changes} replaced by new ones from {@code seed}.
   */
  public static List<Term> changed(List<Term> terms, int changes, long seed) {
    List<Term> fresh = ipv4Terms(terms.size() + changes, seed);
    fresh.removeAll(new java.util.HashSet<>(terms));
    List<Term> next = new ArrayList<>(terms.subList(changes, terms.size()));
    next.addAll(fresh.subList(0, changes));
    return next;
  }

  /** One BLOCK countermeasure with the terms, plus an ALERT one holding TCP port 3389. */
  public static RuleInput input(long generation, List<Term> terms) {
    return new RuleInput(
        generation,
        List.of(
            new CountermeasureTerms(1, Action.BLOCK, terms),
            new CountermeasureTerms(2, Action.ALERT, List.of(new PortTerm(Protocol.TCP, 3389)))));
  }
}
