package io.bulwark.agent.bench;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.apply.IptablesApplier;
import io.bulwark.agent.apply.IptablesTools;
import io.bulwark.agent.apply.LiveState;
import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.rules.iptables.IptablesGenerator;
import java.nio.file.Path;

/**
 * Prints how long the iptables applier takes, in a scratch network namespace (run as root):
 * a cold apply of one full set (65,536 addresses), a re-apply with every element changed (create
 * and swap), the drift check of that set (counts and samples), and a small rule set. Usage: {@code
 * java -cp <agent test classpath> io.bulwark.agent.bench.IptablesApplyBench [ROUNDS]}.
 */
public final class IptablesApplyBench {

  private IptablesApplyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    IptablesGenerator generator = new IptablesGenerator();
    String[] addresses = GeneratedRules.addresses(65_536 * 2);
    String[] first = java.util.Arrays.copyOfRange(addresses, 0, 65_536);
    String[] second = java.util.Arrays.copyOfRange(addresses, 65_536, 131_072);
    String large = GeneratedRules.text(generator, GeneratedRules.block(1, first));
    String changed = GeneratedRules.text(generator, GeneratedRules.block(1, second));
    String small = GeneratedRules.text(generator, GeneratedRules.block(2, "198.51.100.0/24", "tcp/445"));
    try (Scratch temp = Scratch.create()) {
      Path scratch = temp.dir();
      for (int round = 1; round <= rounds; round++) {
        try (Netns netns = Netns.create(scratch)) {
          netns.wrappers(scratch, "ipset", "iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save");
          IptablesApplier applier = new IptablesApplier(IptablesTools.in(scratch), scratch);
          long cold = time(() -> expectApplied(applier.apply(large)));
          long swap = time(() -> expectApplied(applier.apply(changed)));
          long inspect = time(() -> {
            if (!(applier.inspect(changed) instanceof LiveState.InSync)) {
              throw new AssertionError("not in sync");
            }
          });
          long smallApply = time(() -> expectApplied(applier.apply(small)));
          System.out.printf(
              "round %d: cold 65,536 elements %d ms; all changed (swap) %d ms; drift check %d ms;"
                  + " small rule set %d ms%n",
              round, cold, swap, inspect, smallApply);
        }
      }
    }
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
