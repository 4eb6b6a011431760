package io.bulwark.agent.bench;

import io.bulwark.agent.apply.NftablesApplier;
import io.bulwark.agent.bundle.ApplyReport;
import io.bulwark.agent.bundle.BundleCheck;
import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.BundleVerifier;
import io.bulwark.agent.bundle.CommitConfirm;
import io.bulwark.agent.bundle.DriftCheck;
import io.bulwark.agent.bundle.HighWaterMark;
import io.bulwark.agent.bundle.RuleBundle;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.outbox.StatusOutbox;
import io.bulwark.agent.testing.ConfirmAtOnce;
import io.bulwark.agent.testing.GeneratedRules;
import io.bulwark.agent.testing.Netns;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.delta.LineBlocks;
import io.bulwark.delta.LineDelta;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.RuleDelta;
import io.bulwark.rules.nftables.NftablesGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prints how long the agent takes from a signed bundle received to its {@code applied} report, on
 * a real nftables table in a scratch network namespace (run as root): everything the agent does
 * on the way, with the components it runs with: signature and header checks, the durable
 * high-water mark, the rebuild of the full rules from a line delta and their SHA-256 against the
 * signed digest, the commit-confirm record, the nft transaction, the applied-rules file and the
 * applied state (each written with fsync and renamed), and the {@code applied} report stored in
 * the status outbox (the agent holds {@code applying} back for seconds and drops it when the
 * outcome comes first, as here). The confirmation is answered at once, as a reachable controller
 * does, and the reports are acknowledged after each bundle. First the full rule set of ELEMENTS addresses, then ROUNDS line
 * deltas of 1,000 addresses each, added at places spread over the set, as the controller sends
 * them when an approval adds to a countermeasure.
 * Each delta's header signs the block digest of its rules, as the controller's do; with {@code
 * --sha256} it does not, and the agent checks the SHA-256 of the whole rebuilt rules instead.
 * The bench runs itself again inside the namespace, so that the agent runs {@code nft} itself, as
 * on its host, rather than through {@code ip netns exec} (which adds 1-2 ms to each run).
 * Usage: {@code java -cp <agent test classpath> io.bulwark.agent.bench.AgentApplyBench [ELEMENTS]
 * [ROUNDS] [--sha256]} (default 1,000,000 and 5).
 */
public final class AgentApplyBench {

  private static final int CHANGED = 1_000;
  private static final String DEVICE = "bench-1";

  private AgentApplyBench() {}

  /** The first argument of the run inside the namespace. */
  private static final String INSIDE = "--inside-netns";
  /**
   * Set for that run only, so that it never changes the host's own table: the outer run's scratch
   * directory, which holds the inner run's, so that both go when the outer run ends.
   */
  private static final String NETNS_VARIABLE = "BULWARK_BENCH_NETNS";

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals(INSIDE)) {
      System.exit(runInside(args));
    }
    String outerScratch = System.getenv(NETNS_VARIABLE);
    if (outerScratch == null) {
      throw new IllegalStateException(INSIDE + " is for the run this bench starts inside its namespace");
    }
    int elements = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    boolean byBlocks = args.length <= 3 || !args[3].equals("--sha256");
    String[][] sets = spreadSets(elements, rounds);
    NftablesGenerator generator = new NftablesGenerator();
    try (Scratch scratch = Scratch.within(Path.of(outerScratch))) {
      Path dir = Files.createDirectories(scratch.dir().resolve("agent"));
      TestSigner controller = new TestSigner();
      Clock clock = Clock.systemUTC();
      NftablesApplier applier = new NftablesApplier("nft", dir);
      AppliedStateStore store = new AppliedStateStore(dir.resolve("state.properties"));
      StatusOutbox outbox = new StatusOutbox(dir.resolve("outbox"));
      BundleProcessor[] processor = new BundleProcessor[1];
      CommitConfirm.Requests confirmer = new ConfirmAtOnce(() -> processor[0]);
      processor[0] = new BundleProcessor(applier, store, new HighWaterMark(dir.resolve("highwater"), 0),
          new BundleVerifier(DEVICE, controller.publicKey(), clock), new CommitConfirm(dir, Duration.ofSeconds(60)),
          new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, clock),
          clock, Runnable::run, state -> { });

      String rules = GeneratedRules.text(generator, GeneratedRules.block(1, sets[0]));
      System.out.printf("full rule set: %,d elements, %,d bytes; then %d line deltas of %,d added addresses%n",
          elements, rules.length(), rounds, CHANGED);
      RuleBundle full = controller.bundle(TestSigner.header(DEVICE, 1, rules, clock.instant()).build(), rules);
      System.out.printf("full rule set: %d ms to applied%n", timeToApplied(processor[0], full, confirmer, outbox));
      long[] times = new long[rounds];
      for (int round = 1; round <= rounds; round++) {
        String next = GeneratedRules.text(generator, GeneratedRules.block(1, sets[round]));
        RuleDelta delta = LineDelta.between(rules, next);
        BundleHeader header = TestSigner.header(DEVICE, round + 1, next, clock.instant()).setBaseGeneration(round)
            .setBlockDigest(byBlocks ? LineBlocks.digestHex(next) : "").build();
        RuleBundle signed = controller.bundle(header, "");
        RuleBundle bundle = new RuleBundle(signed.generation(), signed.target(), "", signed.digest(),
            signed.signedHeader(), signed.signature(), delta);
        // The garbage of making the next rule set and its delta is this bench's, not the agent's.
        System.gc();
        times[round - 1] = timeToApplied(processor[0], bundle, confirmer, outbox);
        System.out.printf("line delta %d (%d edits): %d ms to applied%n", round, delta.getEditsCount(), times[round - 1]);
        rules = next;
      }
      if (processor[0].counts().fromDelta() != rounds) {
        throw new AssertionError("not every delta was applied as one: " + processor[0].counts());
      }
      if (!processor[0].applied().digest().equals(BundleCheck.sha256Hex(rules))) {
        throw new AssertionError("the applied digest is not the last rule set's");
      }
      long[] sorted = times.clone();
      Arrays.sort(sorted);
      System.out.printf("line deltas to applied: min %d ms, 10th percentile %d ms, median %d ms, 90th percentile %d ms,"
          + " max %d ms%n", sorted[0], sorted[sorted.length / 10], sorted[sorted.length / 2],
          sorted[sorted.length * 9 / 10], sorted[sorted.length - 1]);
    }
  }

  /**
   * Runs this bench with {@code args} in a new JVM, with this one's options, inside a scratch
   * network namespace; returns its exit code. The namespace is deleted also when this JVM is
   * stopped by a signal (Ctrl-C), after the inner run.
   */
  private static int runInside(String[] args) throws Exception {
    Scratch scratch = Scratch.create();
    Netns netns = Netns.create(scratch.dir());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentApplyBench.class.getName(), INSIDE));
    command.addAll(List.of(args));
    ProcessBuilder inside = new ProcessBuilder(netns.inside(command)).inheritIO();
    inside.environment().put(NETNS_VARIABLE, scratch.dir().toString());
    Process run = inside.start();
    AtomicBoolean done = new AtomicBoolean();
    Runnable cleanUp = () -> {
      if (done.compareAndSet(false, true)) {
        try {
          run.destroy();
          run.waitFor(30, TimeUnit.SECONDS);
          netns.close();
          scratch.close();
        } catch (IOException | InterruptedException e) {
          System.err.println("cannot clean up after the bench: " + e);
        }
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(cleanUp));
    try {
      return run.waitFor();
    } finally {
      cleanUp.run();
    }
  }

  /**
   * Address sets where each next one adds {@code CHANGED} addresses spread over the previous one:
   * all addresses, with every step-th of the later rounds' additions left out until their round.
   */
  private static String[][] spreadSets(int elements, int rounds) {
    String[] addresses = GeneratedRules.addresses(elements + CHANGED * rounds);
    int step = (elements + CHANGED * rounds) / (CHANGED * rounds);
    String[][] sets = new String[rounds + 1][];
    for (int round = 0; round <= rounds; round++) {
      List<String> set = new ArrayList<>(elements + CHANGED * round);
      for (int i = 0; i < addresses.length; i++) {
        // Address i is held back until round (i / step) % rounds + 1 when it falls on a step.
        boolean heldBack = i % step == 0 && i / step < CHANGED * rounds && (i / step) % rounds + 1 > round;
        if (!heldBack) {
          set.add(addresses[i]);
        }
      }
      sets[round] = set.toArray(String[]::new);
    }
    return sets;
  }

  /**
   * Submits {@code bundle} (the apply runs on this thread) and returns the ms until it was applied;
   * its reports are stored in {@code outbox} as the agent stores them, then acknowledged.
   */
  private static long timeToApplied(BundleProcessor processor, RuleBundle bundle, CommitConfirm.Requests confirmer,
      StatusOutbox outbox) throws IOException {
    List<ApplyReport> reports = new ArrayList<>();
    long[] stored = {0};
    long start = System.nanoTime();
    processor.submit(bundle, report -> {
      reports.add(report);
      if (report.phase() == ApplyReport.Phase.APPLYING) {
        return;
      }
      try {
        stored[0] = outbox.append(report).sequence();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, confirmer);
    long ms = (System.nanoTime() - start) / 1_000_000;
    outbox.acknowledge(stored[0]);
    ApplyReport last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
    if (last == null || last.phase() != ApplyReport.Phase.APPLIED) {
      throw new AssertionError("generation " + bundle.generation() + " was not applied: " + reports);
    }
    return ms;
  }
}
