package io.bulwark.controller.bench;

import com.google.protobuf.ByteString;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.TokenFiles;
import io.bulwark.proto.admin.v1.Action;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The fleet load test behind {@code bulwark bench fleet}: a controller in its own process, N real
 * agents spread over P simulator processes, then a full rule set, deltas and a controller restart,
 * each timed from the approval (or the restart) until every agent applied the rule set the
 * controller wants; optionally a soak before the restart, one delta a minute, watching the
 * controller's memory, open files and GC pauses. Prints figures as it goes and a summary at the end.
 */
public final class FleetBench {

  /**
   * What to run.
   *
   * @param dbUrl a PostgreSQL database for the controller (a new schema in it), else embedded H2
   */
  public record Plan(int agents, int processes, int baseTerms, int deltaTerms, int rounds, String controllerHeap,
      Path workDir, Path controllerJar, Path agentJar, boolean restart, int soakMinutes, Optional<String> dbUrl,
      int workerNice) {

    /** About the largest rule set the agents hold. */
    public long ruleSetBytes() {
      return FleetBench.ruleSetBytes(baseTerms, deltaTerms, rounds + soakMinutes);
    }

    /** The largest message that may reach every agent at once ({@link FleetBench#toAllBytes}). */
    public long toAllBytes() {
      return FleetBench.toAllBytes(baseTerms, deltaTerms, rounds + soakMinutes);
    }

    /** The memory of the simulator processes, in MB. */
    public long simulatorMb() {
      return FleetBench.simulatorMb(agents, processes, baseTerms, deltaTerms, rounds + soakMinutes);
    }
  }

  /**
   * About the largest rule set of a run: the base terms and every delta's, an nftables line of
   * about 17 bytes each.
   */
  public static long ruleSetBytes(int baseTerms, int deltaTerms, int deltas) {
    return 4096 + 17 * ((long) baseTerms + (long) deltaTerms * deltas);
  }

  /**
   * The largest message of a run that may reach every agent at once: the controller's transfer
   * budget lets many messages below a quarter chunk out together, and agents hold them until
   * checked. That is every delta, and the full rule sets while they are that small.
   */
  public static long toAllBytes(int baseTerms, int deltaTerms, int deltas) {
    long quarter = io.bulwark.chunk.RuleChunks.DEFAULT_CHUNK_BYTES / 4;
    long smallSets = ruleSetBytes(baseTerms, deltaTerms, 0) < quarter ? ruleSetBytes(baseTerms, deltaTerms, deltas) : 0;
    return Math.min(quarter, Math.max(smallSets, ruleSetBytes(0, deltaTerms, 1)));
  }

  /**
   * The memory of {@code processes} simulator processes for {@code agents} in all, in MB, for a run
   * of {@code baseTerms} and {@code deltas} deltas of {@code deltaTerms}.
   */
  public static long simulatorMb(int agents, int processes, int baseTerms, int deltaTerms, int deltas) {
    int each = (agents + processes - 1) / processes;
    return processes * WorkerProcess.memory(each, toAllBytes(baseTerms, deltaTerms, deltas),
        ruleSetBytes(baseTerms, deltaTerms, deltas)).totalMb();
  }

  private final Plan plan;
  private final PrintStream out;
  private final List<String> summary = new ArrayList<>();

  public FleetBench(Plan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  private ControllerProcess controller;
  private List<WorkerProcess> workers = List.of();
  private long controllerCpu;
  private long workersCpu;

  public void run() throws Exception {
    Files.createDirectories(plan.workDir());
    out.printf("fleet: %d agents in %d processes, work dir %s%n", plan.agents(), plan.processes(), plan.workDir());
    Path agentsRoot = agentsRoot();
    try {
      run(agentsRoot);
    } finally {
      if (!agentsRoot.startsWith(plan.workDir())) {
        deleteTree(agentsRoot);
      }
    }
  }

  /**
   * The simulated hosts' disks: tmpfs when there is one and the agents' rule files fit in memory
   * beside the processes, since thousands of agents fsyncing on one disk would measure that disk,
   * not the controller; else the work directory. The controller's data stays on disk.
   */
  private Path agentsRoot() throws IOException {
    Path shm = Path.of("/dev/shm");
    long filesMb = agentFilesMb(plan.agents(), plan.ruleSetBytes());
    long availableKib = ProcStatus.availableKib();
    boolean fits = availableKib < 0
        || filesMb + plan.simulatorMb() < availableKib / 1024 * 3 / 4;
    boolean tmpfs = Files.isDirectory(shm) && Files.isWritable(shm);
    if (tmpfs && fits) {
      return Files.createTempDirectory(shm, "bulwark-fleet-agents-");
    }
    figure("agents' data", "on disk in " + plan.workDir() + (tmpfs ? " (their rule files, about " + filesMb
        + " MB, would not fit in memory on tmpfs)" : " (no writable /dev/shm)"));
    return plan.workDir();
  }

  /**
   * What the agents' data directories hold at most, in MB: each its applied rules and the rules a
   * commit-confirm keeps to restore, and some small files.
   */
  static long agentFilesMb(int agents, long ruleSetBytes) {
    return agents * (2 * ruleSetBytes + 64 * 1024) / (1024 * 1024);
  }

  /** Deletes {@code root} and everything under it. */
  public static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void run(Path agentsRoot) throws Exception {
    BenchSchema schema = plan.dbUrl().isPresent() ? BenchSchema.create(plan.dbUrl().get(), "bulwark_fleet") : null;
    if (schema != null) {
      out.println("controller database: PostgreSQL, new schema " + schema.name() + " (dropped afterwards)");
    }
    try (schema; ControllerProcess controller = new ControllerProcess(plan.controllerJar(),
        plan.workDir().resolve("controller"), plan.controllerHeap(),
        schema == null ? List.of() : List.of("--db-url", schema.url()))) {
      this.controller = controller;
      long t = System.nanoTime();
      controller.start(Duration.ofSeconds(120));
      figure("controller started", ms(t) + " ms");
      List<Path> dirs = tokens(controller, agentsRoot);
      List<WorkerProcess> workers = startWorkers(controller, dirs);
      this.workers = workers;
      try {
        t = System.nanoTime();
        awaitConnected(workers, Duration.ofMinutes(10));
        figure("all agents connected", ms(t) + " ms after the workers enrolled them");
        resources(controller, "controller with all agents connected");

        int next = 0;
        String digest = approve(controller, workers, FleetBundles.ipv4(next, plan.baseTerms()),
            "full rule set of " + plan.baseTerms() + " terms");
        next += plan.baseTerms();
        for (int r = 1; r <= plan.rounds(); r++) {
          digest = approve(controller, workers, FleetBundles.ipv4(next, plan.deltaTerms()),
              "delta of " + plan.deltaTerms() + " terms, round " + r);
          next += plan.deltaTerms();
        }
        resources(controller, "controller after the rollouts");
        if (plan.soakMinutes() > 0) {
          digest = soak(controller, workers, next);
          next += plan.soakMinutes() * plan.deltaTerms();
        }
        if (plan.restart()) {
          controller.kill();
          t = System.nanoTime();
          long t0 = System.currentTimeMillis();
          // From here the simulator's CPU, and the new controller's from its start.
          cpuMark();
          controllerCpu = 0;
          controller.start(Duration.ofSeconds(120));
          figure("controller restart: listening again", ms(t) + " ms after the kill; " + cpuSpent());
          awaitConnected(workers, Duration.ofMinutes(5));
          figure("controller restart: all reconnected", ms(t) + " ms after the kill");
          // Nothing changed meanwhile: reconciling means every agent still reports the digest.
          await(workers, digest, t0, "controller restart: all reconciled");
        }
      } finally {
        workers.parallelStream().forEach(WorkerProcess::close);
      }
    }
    out.println();
    out.println("summary");
    summary.forEach(line -> out.println("  " + line));
  }

  /**
   * Holds the fleet for {@link Plan#soakMinutes} minutes with one delta at the start of each,
   * sampling the controller's RSS and open files at each minute's end; then prints their drift
   * and the GC pauses of the soak from the controller's GC log.
   *
   * @return the digest of the last delta's rule set
   */
  private String soak(ControllerProcess controller, List<WorkerProcess> workers, int first) throws Exception {
    long pausesBefore = ControllerProcess.gcPauses(controller.dataDir()).size();
    List<Long> rss = new ArrayList<>();
    List<Long> files = new ArrayList<>();
    int next = first;
    String digest = null;
    for (int m = 1; m <= plan.soakMinutes(); m++) {
      long minuteEnd = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      digest = approve(controller, workers, FleetBundles.ipv4(next, plan.deltaTerms()), "soak minute " + m + ", delta");
      next += plan.deltaTerms();
      Thread.sleep(Math.max(0, (minuteEnd - System.nanoTime()) / 1_000_000));
      rss.add(controller.rssKib() / 1024);
      files.add(ProcStatus.openFiles(controller.pid()));
      out.printf("soak minute %d: controller RSS %d MiB, open files %d%n", m, rss.get(m - 1), files.get(m - 1));
    }
    List<Double> pauses = ControllerProcess.gcPauses(controller.dataDir());
    pauses = new ArrayList<>(pauses.subList((int) Math.min(pausesBefore, pauses.size()), pauses.size()));
    pauses.sort(null);
    double p99 = pauses.isEmpty() ? 0 : pauses.get((int) Math.min(pauses.size() - 1, Math.ceil(pauses.size() * 0.99) - 1));
    double max = pauses.isEmpty() ? 0 : pauses.get(pauses.size() - 1);
    figure("soak of " + plan.soakMinutes() + " minutes, one delta a minute",
        String.format("controller RSS %d MiB after the first minute, %d MiB after the last (%+.1f%%), open files %d"
                + " then %d; %d GC pauses, p99 %.1f ms, max %.1f ms", rss.get(0), rss.get(rss.size() - 1),
            100.0 * (rss.get(rss.size() - 1) - rss.get(0)) / Math.max(1, rss.get(0)), files.get(0),
            files.get(files.size() - 1), pauses.size(), p99, max));
    return digest;
  }

  /** One enrollment token per agent, spread over one directory per process. */
  private List<Path> tokens(ControllerProcess controller, Path agentsRoot) throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (int p = 0; p < plan.processes(); p++) {
      Path d = agentsRoot.resolve("worker-" + p);
      Files.createDirectories(d.resolve("tokens"));
      dirs.add(d);
    }
    long t = System.nanoTime();
    try (AdminClient admin = AdminClient.open(controller.dataDir())) {
      for (int i = 0; i < plan.agents(); i++) {
        String name = String.format("fleet-%05d", i);
        Path file = dirs.get(i % dirs.size()).resolve("tokens").resolve(name + ".token");
        if (!Files.exists(file)) {
          TokenFiles.write(file, admin.stub().createEnrollmentToken(CreateEnrollmentTokenRequest.newBuilder()
              .setDevice(name).setTarget("nftables").addTags("fleet").build()));
        }
      }
    }
    figure("tokens created", plan.agents() + " in " + ms(t) + " ms");
    return dirs;
  }

  private List<WorkerProcess> startWorkers(ControllerProcess controller, List<Path> dirs) throws Exception {
    long t = System.nanoTime();
    int each = (plan.agents() + dirs.size() - 1) / dirs.size();
    ExecutorService starters = Executors.newFixedThreadPool(dirs.size());
    try {
      List<Future<WorkerProcess>> started = new ArrayList<>();
      for (Path d : dirs) {
        started.add(starters.submit(() -> WorkerProcess.start(plan.agentJar(), Optional.of(plan.controllerJar()), d,
            controller.agentAddress(), each, Duration.ofSeconds(60), plan.workerNice(), plan.toAllBytes(), plan.ruleSetBytes())));
      }
      List<WorkerProcess> workers = new ArrayList<>();
      for (Future<WorkerProcess> f : started) {
        workers.add(f.get());
      }
      figure("agents enrolled and started", plan.agents() + " in " + ms(t) + " ms (their TLS: "
          + workers.get(0).tls() + "; niceness " + plan.workerNice() + ")");
      return workers;
    } finally {
      starters.shutdown();
    }
  }

  private String approve(ControllerProcess controller, List<WorkerProcess> workers, FleetBundles.Batch batch,
      String what) throws Exception {
    String digest;
    long t0;
    try (AdminClient admin = AdminClient.open(controller.dataDir())) {
      admin.stub().ingest(IngestRequest.newBuilder().setSource("fleet bench")
          .setBundleJson(ByteString.copyFrom(batch.json())).build());
      cpuMark();
      t0 = System.currentTimeMillis();
      admin.stub().approve(ApproveRequest.newBuilder().addAllIndicatorIds(batch.indicatorIds())
          .setAction(Action.ACTION_BLOCK).setScope("all").setReason("fleet bench").build());
      figure(what + ": approval call", (System.currentTimeMillis() - t0) + " ms (compile, store, sign)");
      Set<String> digests = statuses(admin).stream().map(DeviceStatus::getDesiredDigest).collect(Collectors.toSet());
      if (digests.size() != 1) {
        throw new IllegalStateException("expected one shared rule set, found " + digests.size());
      }
      digest = digests.iterator().next();
    }
    await(workers, digest, t0, what);
    return digest;
  }

  /** Waits for every worker to report all its agents on {@code digest}; prints the worst worker's figures. */
  private void await(List<WorkerProcess> workers, String digest, long t0, String what) throws Exception {
    List<String> replies = workers.parallelStream().map(w -> {
      try {
        return w.ask("await " + digest + " " + t0 + " 600");
      } catch (IOException e) {
        return "error " + e.getMessage();
      }
    }).toList();
    long p50 = 0;
    long p99 = 0;
    long max = 0;
    for (String reply : replies) {
      if (!reply.startsWith("converged")) {
        figure(what, "NOT CONVERGED: " + reply);
        return;
      }
      p50 = Math.max(p50, field(reply, "p50"));
      p99 = Math.max(p99, field(reply, "p99"));
      max = Math.max(max, field(reply, "max"));
    }
    figure(what, "all " + plan.agents() + " applied and verified by digest: p50 " + p50 + " ms, p99 " + p99
        + " ms, max " + max + " ms (worst process); " + cpuSpent());
  }

  /** Starts counting CPU time of the controller and of the simulator processes. */
  private void cpuMark() {
    controllerCpu = ProcStatus.cpuMillis(controller.pid());
    workersCpu = workers.stream().mapToLong(w -> ProcStatus.cpuMillis(w.pid())).sum();
  }

  private String cpuSpent() {
    long c = ProcStatus.cpuMillis(controller.pid()) - controllerCpu;
    long w = workers.stream().mapToLong(x -> ProcStatus.cpuMillis(x.pid())).sum() - workersCpu;
    return "CPU: controller " + c + " ms, simulated agents " + w + " ms";
  }

  private void awaitConnected(List<WorkerProcess> workers, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int connected = 0;
      for (WorkerProcess w : workers) {
        connected += (int) field(w.ask("status"), "connected");
      }
      if (connected >= plan.agents()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(connected + " of " + plan.agents() + " agents connected after "
            + timeout.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  private void resources(ControllerProcess controller, String what) {
    figure(what, "RSS " + controller.rssKib() / 1024 + " MiB, open files " + ProcStatus.openFiles(controller.pid()));
  }

  private void figure(String what, String value) {
    String line = what + ": " + value;
    out.println(line);
    summary.add(line);
  }

  private static List<DeviceStatus> statuses(AdminClient admin) {
    return admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevicesList();
  }

  private static long field(String line, String name) {
    String value = line.replaceAll(".*\\b" + name + "=(\\d+).*", "$1");
    return value.equals(line) ? 0 : Long.parseLong(value);
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
