package io.bulwark.rules.bench;

import io.bulwark.rules.iptables.IptablesGenerator;
import io.bulwark.rules.nftables.NftablesGenerator;
import io.bulwark.rules.spi.Action;
import io.bulwark.rules.spi.CountermeasureTerms;
import io.bulwark.rules.spi.DeltaGenerator;
import io.bulwark.rules.spi.DeltaState;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleChange;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.PortTerm;
import io.bulwark.rules.term.Protocol;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.term.UrlTerm;
import io.bulwark.rules.testing.Generations;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Prints how long generation takes, for the figures in the issue; it asserts nothing. Run after
 * {@code mvn -pl rule-generators test-compile} with {@code java -Xmx300m -cp
 * rule-generators/target/classes:rule-generators/target/test-classes
 * io.bulwark.rules.bench.GeneratorBench} (jackson is not needed).
 */
public final class GeneratorBench {

  private static final int RUNS = 5;

  /** Delta pairs applied before timing tracked deltas, and pairs timed. */
  private static final int WARM_UP = 200;

  private static final int TIMED = 50;

  private GeneratorBench() {}

  public static void main(String[] args) {
    List<Term> million = Generations.ipv4Terms(1_000_000, 42);
    RuleInput full = Generations.input(1, million);
    NftablesGenerator nftables = new NftablesGenerator();
    measure("nftables, 1,000,000 IPv4 terms, full", () -> nftables.generate(full));
    RuleInput next = Generations.input(2, Generations.changed(million, 1000, 43));
    measure(
        "nftables, delta of 1,000 changed terms against 1,000,000",
        () -> nftables.delta(full, next));
    IptablesGenerator iptables = new IptablesGenerator(1 << 20);
    measure(
        "iptables, delta of 1,000 changed terms against 1,000,000",
        () -> iptables.delta(full, next));
    RuleChange forward = RuleChange.between(full, next);
    RuleChange back = RuleChange.between(next, full);
    stateful("nftables", nftables, full, forward, back);
    stateful("iptables", iptables, full, forward, back);
    long peak = peakHeapDuring(() -> nftables.generate(full));
    System.out.printf(
        "nftables, 1,000,000 IPv4 terms: peak heap %d MB (terms included)%n", peak >> 20);

    RuleInput mixed = mixed(100_000, 7);
    GeneratorRegistry registry = GeneratorRegistry.load();
    long total = 0;
    for (String id : registry.ids()) {
      RuleGenerator generator = registry.find(id).orElseThrow();
      total += measure(id + ", 100,000 mixed terms", () -> generator.generate(mixed));
    }
    System.out.printf(
        "all %d targets, 100,000 mixed terms: %d ms in total (best runs)%n",
        registry.ids().size(), total / 1_000_000);
  }

  /**
   * Tracks {@code full}, then applies {@code forward} and {@code back} in turn, and prints the time
   * to track, the best time of each kind of delta and the heap the state keeps.
   */
  private static void stateful(
      String name, DeltaGenerator generator, RuleInput full, RuleChange forward, RuleChange back) {
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    DeltaState state = generator.track(full).state();
    long track = System.nanoTime() - start;
    long kept = usedHeapAfterGc() - heapBefore;
    // A controller applies deltas all day: warm up the compiler first, then time.
    int size = 0;
    for (int i = 0; i < WARM_UP; i++) {
      size = ((GenerationResult.Rules) state.apply(forward)).text().length();
      state.apply(back);
    }
    long[] times = new long[TIMED];
    for (int i = 0; i < TIMED; i++) {
      start = System.nanoTime();
      state.apply(forward);
      times[i] = System.nanoTime() - start;
      state.apply(back);
    }
    Arrays.sort(times);
    System.out.printf(
        "%-60s best %6.1f ms, median %.1f ms, worst %.1f ms of %d, output %,d chars%n",
        name + ", tracked delta of 1,000 changed terms against 1,000,000",
        times[0] / 1e6,
        times[TIMED / 2] / 1e6,
        times[TIMED - 1] / 1e6,
        TIMED,
        size);
    System.out.printf(
        "%s, tracking 1,000,000 terms: %d ms once (full rule set included), state keeps %d MB%n",
        name, track / 1_000_000, kept >> 20);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Runs {@code work} a few times and prints the best and the last time; returns the best. */
  private static long measure(String name, java.util.function.Supplier<GenerationResult> work) {
    long best = Long.MAX_VALUE;
    long size = 0;
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      GenerationResult result = work.get();
      best = Math.min(best, System.nanoTime() - start);
      if (result instanceof GenerationResult.Rules rules) {
        size = rules.text().length();
      } else {
        System.out.println(name + ": " + result);
      }
    }
    System.out.printf("%-60s best %6.1f ms, output %,d chars%n", name, best / 1e6, size);
    return best;
  }

  private static long peakHeapDuring(java.util.function.Supplier<GenerationResult> work) {
    System.gc();
    List<MemoryPoolMXBean> heap = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
        heap.add(pool);
      }
    }
    work.get();
    long peak = 0;
    for (MemoryPoolMXBean pool : heap) {
      peak += pool.getPeakUsage().getUsed();
    }
    return peak;
  }

  /** Mixed terms in ten countermeasures: addresses, ports, domains, URLs and hashes. */
  static RuleInput mixed(int size, long seed) {
    Random random = new Random(seed);
    List<Term> ips = Generations.ipv4Terms(size * 4 / 10, seed);
    List<Term> terms = new ArrayList<>(ips);
    for (int i = 0; terms.size() < size; i++) {
      switch (i % 6) {
        case 0, 1 ->
            terms.add(new DomainTerm("d" + i + ".evil" + random.nextInt(1000) + ".example"));
        case 2 -> terms.add(url("http://u" + i + ".example/p/" + random.nextInt() + "?q=" + i));
        case 3 -> terms.add(url("https://u" + i + ".example/x" + i));
        case 4 -> terms.add(new HashTerm(HashTerm.Algorithm.SHA256, hex(random, 32)));
        default -> terms.add(new HashTerm(HashTerm.Algorithm.MD5, hex(random, 16)));
      }
    }
    List<CountermeasureTerms> countermeasures = new ArrayList<>();
    int per = terms.size() / 10;
    for (int cm = 0; cm < 10; cm++) {
      List<Term> part = new ArrayList<>(terms.subList(cm * per, (cm + 1) * per));
      part.add(new PortTerm(Protocol.TCP, 1000 + cm));
      countermeasures.add(
          new CountermeasureTerms(cm + 1, cm == 0 ? Action.ALERT : Action.BLOCK, part));
    }
    return new RuleInput(1, countermeasures);
  }

  private static String hex(Random random, int bytes) {
    byte[] digest = new byte[bytes];
    random.nextBytes(digest);
    return HexFormat.of().formatHex(digest);
  }

  private static UrlTerm url(String text) {
    return ((TermParse.Valid<UrlTerm>) UrlTerm.parse(text)).term();
  }
}
