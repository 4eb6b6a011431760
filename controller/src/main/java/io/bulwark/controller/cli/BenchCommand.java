package io.bulwark.controller.cli;

import io.bulwark.controller.bench.FleetBench;
import io.bulwark.controller.bench.IngestBench;
import io.bulwark.controller.bench.ProcStatus;
import io.bulwark.controller.domain.BulwarkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark bench fleet|ingest|check-pattern}: load tests that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Load tests that print figures.",
    subcommands = {BenchCommand.Fleet.class, BenchCommand.Ingest.class, BenchCommand.CheckPattern.class})
final class BenchCommand extends CommandGroup {

  @Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
        "Starts a controller in its own process and N real agents (enrollment, own key and certificate, mutual TLS,"
            + " signed bundles, commit-confirm, durable outbox; an in-memory applier) spread over P processes,"
            + " then times a full rule set, deltas and a controller restart until every agent applied the rule set,"
            + " verified by digest.",
        "Open files: one process holds at most about 20,000; use P >= N / 5,000."})
  static final class Fleet implements Callable<Integer> {
    @Option(names = "--agents", paramLabel = "N", defaultValue = "1000", description = "Agents in all (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--processes", paramLabel = "P", defaultValue = "2",
        description = "Simulator processes the agents are spread over (default ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--base-terms", paramLabel = "T", defaultValue = "10000",
        description = "Terms of the first, full rule set (default ${DEFAULT-VALUE}; at most 100,000 with the deltas).")
    int baseTerms;

    @Option(names = "--delta-terms", paramLabel = "T", defaultValue = "1000",
        description = "Terms each delta adds (default ${DEFAULT-VALUE}).")
    int deltaTerms;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "Deltas to time (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--controller-heap", paramLabel = "SIZE", defaultValue = "2g",
        description = "The controller's -Xmx (default ${DEFAULT-VALUE}).")
    String controllerHeap;

    @Option(names = "--no-restart", description = "Skip killing and restarting the controller.")
    boolean noRestart;

    @Option(names = "--soak", paramLabel = "MINUTES", defaultValue = "0",
        description = "Before the restart, hold the fleet this many minutes with one delta of --delta-terms a"
            + " minute, and print the controller's RSS and open files each minute, their drift, and its GC pauses"
            + " (default 0: no soak).")
    int soakMinutes;

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "Where the controller's data and the agents' data dirs go, kept afterwards (default: a new"
            + " temporary directory, deleted afterwards).")
    Path workDir;

    @Option(names = "--db-url", paramLabel = "URL",
        description = "Run the controller on this PostgreSQL database (jdbc:postgresql: URL; in a new schema,"
            + " dropped afterwards) instead of embedded H2.")
    String dbUrl;

    @Option(names = "--worker-nice", paramLabel = "N", defaultValue = "0",
        description = "CPU niceness of the simulator processes, 0 to 19 (default ${DEFAULT-VALUE}: the cores are"
            + " shared evenly). Above 0 the controller comes first when both want the same cores, as if the agents"
            + " ran on hosts of their own; it then also holds what slowed agents have not read yet.")
    int workerNice;

    @Override
    public Integer call() throws Exception {
      if (workerNice < 0 || workerNice > 19) {
        throw new BulwarkException.Usage("--worker-nice must be 0 to 19, not " + workerNice);
      }
      if (agents < 1 || processes < 1 || processes > agents) {
        throw new BulwarkException.Usage("need 1 <= --processes <= --agents");
      }
      if (agents / processes > 5000) {
        throw new BulwarkException.Usage(agents / processes + " agents per process exceed what one process can hold"
            + " open (about 20,000 files); use --processes " + ((agents + 4999) / 5000) + " or more");
      }
      if (soakMinutes < 0 || soakMinutes > 24 * 60) {
        throw new BulwarkException.Usage("need 0 <= --soak <= 1440 minutes");
      }
      if (baseTerms < 1 || deltaTerms < 1 || rounds < 0
          || (long) baseTerms + (long) deltaTerms * (rounds + soakMinutes) > 131_072) {
        throw new BulwarkException.Usage("need --base-terms >= 1, --delta-terms >= 1, and at most 131,072 terms in all");
      }
      if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
        throw new BulwarkException.Usage("--db-url must be a jdbc:postgresql: URL (leave it out for embedded H2)");
      }
      int deltas = rounds + soakMinutes;
      long needed = FleetBench.simulatorMb(agents, processes, baseTerms, deltaTerms, deltas);
      long availableKib = ProcStatus.availableKib();
      // Not Linux, or not readable: no check.
      long available = availableKib < 0 ? Long.MAX_VALUE : availableKib / 1024;
      if (needed > available) {
        throw new BulwarkException.Usage(String.format("the simulated agents would need about %,d MB (%,d agents holding"
            + " rule sets of about %,d KB) and this machine has %,d MB available: use fewer agents or terms",
            needed, agents, FleetBench.ruleSetBytes(baseTerms, deltaTerms, deltas) / 1024, available));
      }
      String agentJar = System.getProperty("bulwark.agent.jar");
      if (agentJar == null || !Files.isRegularFile(Path.of(agentJar))) {
        throw new BulwarkException.Usage("the agent jar is not known; run this through ./bulwark");
      }
      Path controllerJar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = workDir != null ? workDir : Files.createTempDirectory("bulwark-fleet-");
      FleetBench.Plan plan = new FleetBench.Plan(agents, processes, baseTerms, deltaTerms, rounds, controllerHeap, dir,
          controllerJar, Path.of(agentJar), !noRestart, soakMinutes, java.util.Optional.ofNullable(dbUrl), workerNice);
      try {
        new FleetBench(plan, System.out).run();
      } finally {
        if (workDir == null) {
          // A temporary work dir holds the controller's database and logs: hundreds of MB for 2,000 agents.
          FleetBench.deleteTree(dir);
        }
      }
      return 0;
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
        "Generates a STIX 2.1 bundle of N IPv4 indicators and ingests it as the Ingest call does (validation,"
            + " versioning, correlation index, one transaction) into a new embedded H2 database, or a new schema"
            + " in the PostgreSQL database given (dropped afterwards); then ingests the same bundle again.",
        "Prints parse time, store time, indicators per second and peak heap for each."})
  static final class Ingest implements Callable<Integer> {
    @Option(names = "--indicators", paramLabel = "N", defaultValue = "100000",
        description = "Indicators in the bundle (default ${DEFAULT-VALUE}; at most 131,072).")
    int indicators;

    @Option(names = "--db-url", paramLabel = "URL",
        description = "A jdbc:postgresql: URL to run against instead of embedded H2.")
    String dbUrl;

    @Override
    public Integer call() throws Exception {
      if (indicators < 1 || indicators > (1 << 17)) {
        throw new BulwarkException.Usage("--indicators must be between 1 and 131072, not " + indicators);
      }
      if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
        throw new BulwarkException.Usage("--db-url must be a jdbc:postgresql: URL (leave it out for embedded H2)");
      }
      new IngestBench(indicators, dbUrl, System.out).run();
      return 0;
    }
  }

  @Command(name = "check-pattern", mixinStandardHelpOptions = true,
      description = "Generates N STIX patterns shaped like feed content and times bulwark stix check-pattern on them.")
  static final class CheckPattern implements Callable<Integer> {
    @Option(names = "--patterns", paramLabel = "N", defaultValue = "100000",
        description = "How many patterns (default ${DEFAULT-VALUE}).")
    int patterns;

    @Override
    public Integer call() {
      if (patterns < 1) {
        throw new BulwarkException.Usage("--patterns must be at least 1");
      }
      new io.bulwark.controller.bench.CheckPatternBench(patterns, System.out).run(BulwarkCli::commandLine);
      return 0;
    }
  }
}
