package io.bulwark.agent.bench;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.LineChange;
import io.bulwark.agent.bundle.BundleCheck;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.RuleDelta;
import io.bulwark.agent.apply.LiveState;
import io.bulwark.agent.apply.NftablesApplier;
import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.rules.nftables.NftablesGenerator;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Prints how long the nftables applier takes, in a scratch network namespace (run as root): a cold
 * apply of ELEMENTS addresses, the snapshot commit-confirm takes, a re-apply with 1,000 of them
 * replaced (the delta case) and back (a delta from rules whose hashes are kept), the drift check,
 * and the restore of the first rule set. Once with the
 * generator's output (addresses in a set without intervals, changed by element delta) and once
 * with the same addresses in an interval set (replaced whole on change).
 * Then, as an agent gets them from the controller, line deltas: 1,000 addresses added at places
 * spread over the set, and 1,000 replaced; timed are the rebuild of the full rules from the delta,
 * their SHA-256 (what the agent checks against the signed digest) and the apply.
 * Usage: {@code java -cp <agent test classpath> io.bulwark.agent.bench.NftApplyBench [ELEMENTS]
 * [ROUNDS]} (default 1,000,000 and 2).
 */
public final class NftApplyBench {

  private static final int CHANGED = 1_000;

  private NftApplyBench() {}

  public static void main(String[] args) throws Exception {
    int elements = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    NftablesGenerator generator = new NftablesGenerator();
    String[] addresses = GeneratedRules.addresses(elements + CHANGED);
    String[] base = Arrays.copyOfRange(addresses, 0, elements);
    String[] next = Arrays.copyOfRange(addresses, CHANGED, elements + CHANGED);
    String first = GeneratedRules.text(generator, GeneratedRules.block(1, base));
    String second = GeneratedRules.text(generator, GeneratedRules.block(1, next));
    System.out.printf("rule sets: %,d elements, %,d bytes; %,d replaced%n",
        elements, first.length(), CHANGED);
    try (Scratch temp = Scratch.create()) {
      Path scratch = temp.dir();
      run("set without intervals", first, second, rounds, scratch);
      // All the addresses but every (ELEMENTS + CHANGED) / CHANGED-th: the full set adds those back.
      String[] spread = new String[elements];
      int step = (elements + CHANGED) / CHANGED;
      for (int i = 0, j = 0; i < elements + CHANGED; i++) {
        if (i % step != 0 && j < elements) {
          spread[j++] = addresses[i];
        }
      }
      String sparse = GeneratedRules.text(generator, GeneratedRules.block(1, spread));
      String full = GeneratedRules.text(generator, GeneratedRules.block(1, Arrays.copyOf(addresses, elements + CHANGED)));
      for (int round = 1; round <= rounds; round++) {
        lineDeltas(sparse, full, first, second, scratch, round);
      }
      run("interval set", withInterval(first), withInterval(second), rounds, scratch);
    }
  }

  private static String withInterval(String rules) {
    String set = "\tset cm1_v4 {\n\t\ttype ipv4_addr\n";
    return rules.replace(set, set + "\t\tflags interval\n");
  }

  private static void run(String kind, String first, String second, int rounds, Path scratch)
      throws Exception {
    for (int round = 1; round <= rounds; round++) {
      try (Netns netns = Netns.create(scratch)) {
        NftablesApplier applier = new NftablesApplier(netns.nft(), scratch);
        long cold = time(() -> expectApplied(applier.apply(first)));
        String[] snapshot = new String[1];
        long snap = time(() -> snapshot[0] = applier.snapshot().orElseThrow());
        long delta = time(() -> expectApplied(applier.apply(second)));
        long back = time(() -> expectApplied(applier.apply(first)));
        expectApplied(applier.apply(second));
        long inspect = time(() -> {
          LiveState live = applier.inspect(second);
          if (!(live instanceof LiveState.InSync)) {
            throw new AssertionError("not in sync: " + live);
          }
        });
        long restore = time(() -> expectApplied(applier.restore(snapshot[0])));
        System.out.printf(
            "%s, round %d: cold %d ms; snapshot %d ms; %,d replaced %d ms, and back %d ms;"
                + " drift check %d ms; restore %d ms%n",
            kind, round, cold, snap, CHANGED, delta, back, inspect, restore);
      }
    }
  }

  private static void lineDeltas(String sparse, String full, String first, String second, Path scratch, int round)
      throws Exception {
    try (Netns netns = Netns.create(scratch)) {
      NftablesApplier applier = new NftablesApplier(netns.nft(), scratch);
      expectApplied(applier.apply(sparse));
      long[] added = lineDelta(applier, sparse, full);
      expectApplied(applier.apply(first));
      long[] replaced = lineDelta(applier, first, second);
      System.out.printf(
          "line deltas, round %d: %,d added at spread places: rebuild %d ms, SHA-256 %d ms, apply %d ms;"
              + " %,d replaced: rebuild %d ms, SHA-256 %d ms, apply %d ms%n",
          round, CHANGED, added[0], added[1], added[2], CHANGED, replaced[0], replaced[1], replaced[2]);
    }
  }

  /** Rebuilds {@code to} from a line delta, hashes it and applies it: the three times in ms. */
  private static long[] lineDelta(NftablesApplier applier, String from, String to) throws Exception {
    RuleDelta delta = LineDelta.between(from, to);
    LineDelta.Applied[] applied = new LineDelta.Applied[1];
    long rebuild = time(() -> applied[0] = LineDelta.applyKeepingEdits(from, delta));
    long hash = time(() -> BundleCheck.sha256Hex(applied[0].text()));
    long apply = time(() -> {
      ApplyOutcome outcome = applier.apply(applied[0]::text, new LineChange(from, applied[0].edits()));
      expectApplied(outcome);
      if (!((ApplyOutcome.Applied) outcome).readBackSummary().contains("by line delta")) {
        throw new AssertionError("not applied by line delta: " + outcome);
      }
    });
    return new long[] {rebuild, hash, apply};
  }

  private interface Step {
    void run() throws Exception;
  }

  private static long time(Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static void expectApplied(ApplyOutcome outcome) {
    if (!(outcome instanceof ApplyOutcome.Applied)) {
      throw new AssertionError(outcome.toString());
    }
  }
}
