package io.bulwark.agent.fleet;

import io.bulwark.agent.Agent;
import io.bulwark.agent.bundle.AppliedRulesFile;
import io.bulwark.agent.bundle.DriftCheck;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * One process of the fleet simulator: runs one real agent per token file in {@code DIR/tokens}
 * (real enrollment, its own key and certificate, mutual TLS, signed bundles, commit-confirm, the
 * durable outbox), each with a {@link MemoryApplier}, on shared threads. Driven by one command per
 * line on stdin, answering one line per command on stdout (the protocol {@code bulwark bench
 * fleet} and the tests use):
 *
 * <pre>
 * status                       -> status total=N running=R connected=C digests=D:count,...
 * await DIGEST T0_MILLIS SECS  -> converged n=N p50=MS p90=MS p99=MS max=MS | timeout converged=X of N
 * stop K                       -> stopped K        (the first K running agents, as if cut off)
 * forget K                     -> forgot K         (the first K stopped agents lose their applied rules file)
 * start                        -> started K        (the stopped agents run again on their data dirs)
 * counts                       -> counts delta=D full=F
 * final                        -> one "agent NAME generation G digest D unacked U" per agent, then "end"
 * quit                         -> bye
 * </pre>
 *
 * Usage: {@code FleetWorker --controller HOST:PORT --dir DIR [--confirm-window SECS] [--threads N]}.
 */
public final class FleetWorker {

  private final HostPort controller;
  private final Path dir;
  private final Duration confirmWindow;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService applyPool;
  /** One copy of each rule set the agents verified, instead of one per agent. */
  private final SharedRuleTexts texts = new SharedRuleTexts();
  private final List<Member> members = new ArrayList<>();
  private final PrintStream out;

  private static final class Member {
    final String name;
    final Path tokenFile;
    final Path dataDir;
    Agent agent;
    long convergedAt;

    Member(String name, Path tokenFile, Path dataDir) {
      this.name = name;
      this.tokenFile = tokenFile;
      this.dataDir = dataDir;
    }
  }

  FleetWorker(HostPort controller, Path dir, Duration confirmWindow, int threads, PrintStream out) {
    this.controller = controller;
    this.dir = dir;
    this.confirmWindow = confirmWindow;
    this.out = out;
    this.scheduler = Executors.newScheduledThreadPool(Math.max(2, threads / 4), daemon("fleet-link"));
    this.applyPool = Executors.newFixedThreadPool(threads, daemon("fleet-apply"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    FleetWorker worker =
        new FleetWorker(
            HostPort.parse(required(options, "--controller")),
            Path.of(required(options, "--dir")),
            Duration.ofSeconds(Long.parseLong(options.getOrDefault("--confirm-window", "60"))),
            Integer.parseInt(options.getOrDefault("--threads", "32")),
            new PrintStream(System.out, true, StandardCharsets.UTF_8));
    worker.startAll();
    worker.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    System.exit(0);
  }

  /** Starts one agent per token file, enrolling those not yet enrolled, several at a time. */
  void startAll() throws Exception {
    List<Path> tokens;
    try (Stream<Path> files = Files.list(dir.resolve("tokens"))) {
      tokens = files.filter(p -> p.toString().endsWith(".token")).sorted().toList();
    }
    for (Path token : tokens) {
      String name = token.getFileName().toString().replaceFirst("\\.token$", "");
      members.add(new Member(name, token, dir.resolve("agents").resolve(name)));
    }
    long started = System.nanoTime();
    ExecutorService starters = Executors.newFixedThreadPool(8, daemon("fleet-enroll"));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Member m : members) {
        done.add(starters.submit(() -> start(m)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      starters.shutdown();
    }
    out.println("ready n=" + members.size() + " ms=" + (System.nanoTime() - started) / 1_000_000 + " tls="
        + (io.netty.handler.ssl.OpenSsl.isAvailable() ? "BoringSSL" : "JDK"));
  }

  private void start(Member m) {
    AgentConfig config =
        new AgentConfig(
            controller,
            m.dataDir,
            m.tokenFile,
            new MemoryApplier(keptRules(m.dataDir)),
            Clock.systemUTC(),
            confirmWindow,
            DriftCheck.Policy.REPORT,
            Duration.ZERO);
    Agent agent = new Agent(config, new TlsChannelFactory(), new Agent.Shared(scheduler, applyPool, texts));
    agent.start();
    synchronized (this) {
      m.agent = agent;
      m.convergedAt = 0;
    }
  }

  /** The rules the agent last applied, which a real host would still hold after a restart. */
  private static String keptRules(Path dataDir) {
    AppliedState applied = new AppliedStateStore(new DataDir(dataDir).appliedState()).load();
    return applied.generation() == 0
        ? ""
        : AppliedRulesFile.load(dataDir.resolve("applied.rules"), applied.digest()).orElse("");
  }

  void serve(BufferedReader in) throws Exception {
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      try {
        if (!command(words)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw e;
      } catch (Exception e) {
        // Said on the one line the caller reads; the worker keeps serving.
        String what = String.valueOf(e).replaceAll("[\\r\\n]+", " ");
        System.err.println("fleet worker: '" + line.trim() + "' failed: " + what);
        out.println("error " + words[0] + ": " + what);
      }
    }
  }

  /** Runs one command; false after "quit". */
  private boolean command(String[] words) throws Exception {
    switch (words[0]) {
      case "status" -> out.println(status());
      case "await" -> out.println(await(words[1], Long.parseLong(words[2]), Long.parseLong(words[3])));
      case "stop" -> out.println("stopped " + stop(Integer.parseInt(words[1])));
      case "forget" -> out.println("forgot " + forget(Integer.parseInt(words[1])));
      case "start" -> out.println("started " + restartStopped());
      case "counts" -> out.println(counts());
      case "final" -> {
        StringBuilder lines = new StringBuilder();
        for (Member m : members) {
          Agent a = m.agent;
          lines.append("agent ").append(m.name)
              .append(" generation ").append(a == null ? 0 : a.appliedState().generation())
              .append(" digest ").append(a == null ? "-" : emptyAsDash(a.appliedState().digest()))
              .append(" unacked ").append(a == null ? -1 : a.unacknowledgedReports()).append('\n');
        }
        out.print(lines.append("end\n"));
      }
      case "quit" -> {
        members.parallelStream().forEach(m -> {
          if (m.agent != null) {
            m.agent.stop();
          }
        });
        out.println("bye");
        return false;
      }
      case "" -> {}
      default -> out.println("error unknown command '" + words[0] + "'");
    }
    return true;
  }

  private synchronized String status() {
    int running = 0;
    int connected = 0;
    Map<String, Integer> digests = new TreeMap<>();
    for (Member m : members) {
      if (m.agent == null) {
        continue;
      }
      running++;
      if (m.agent.isConnected()) {
        connected++;
      }
      String d = m.agent.appliedState().digest();
      digests.merge(d.isEmpty() ? "-" : d.substring(0, Math.min(12, d.length())), 1, Integer::sum);
    }
    StringBuilder sb = new StringBuilder();
    digests.forEach((d, n) -> sb.append(sb.length() == 0 ? "" : ",").append(d).append(':').append(n));
    return "status total=" + members.size() + " running=" + running + " connected=" + connected
        + " digests=" + (sb.length() == 0 ? "-" : sb);
  }

  /** Waits until every running agent applied {@code digest}; latencies from {@code t0Millis}. */
  private String await(String digest, long t0Millis, long seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    List<Member> running;
    synchronized (this) {
      running = members.stream().filter(m -> m.agent != null).toList();
      running.forEach(m -> m.convergedAt = 0);
    }
    int converged = 0;
    while (true) {
      long now = System.currentTimeMillis();
      converged = 0;
      for (Member m : running) {
        if (m.convergedAt == 0 && digest.equals(m.agent.appliedState().digest())) {
          m.convergedAt = now;
        }
        if (m.convergedAt != 0) {
          converged++;
        }
      }
      if (converged == running.size() || now > deadline) {
        break;
      }
      Thread.sleep(5);
    }
    if (converged < running.size()) {
      return "timeout converged=" + converged + " of " + running.size();
    }
    long[] latency = running.stream().mapToLong(m -> Math.max(0, m.convergedAt - t0Millis)).sorted().toArray();
    return "converged n=" + latency.length + " p50=" + percentile(latency, 50) + " p90=" + percentile(latency, 90)
        + " p99=" + percentile(latency, 99) + " max=" + (latency.length == 0 ? 0 : latency[latency.length - 1]);
  }

  private int stop(int k) {
    List<Member> chosen;
    synchronized (this) {
      chosen = members.stream().filter(m -> m.agent != null).limit(k).toList();
    }
    chosen.parallelStream().forEach(m -> {
      m.agent.stop();
      synchronized (this) {
        m.agent = null;
      }
    });
    return chosen.size();
  }

  private synchronized int forget(int k) throws IOException {
    int n = 0;
    for (Member m : members) {
      if (m.agent == null && n < k) {
        Files.deleteIfExists(m.dataDir.resolve("applied.rules"));
        n++;
      }
    }
    return n;
  }

  private int restartStopped() {
    List<Member> stopped;
    synchronized (this) {
      stopped = members.stream().filter(m -> m.agent == null).toList();
    }
    stopped.parallelStream().forEach(this::start);
    return stopped.size();
  }

  private synchronized String counts() {
    long delta = 0;
    long full = 0;
    for (Member m : members) {
      if (m.agent != null) {
        delta += m.agent.applyCounts().fromDelta();
        full += m.agent.applyCounts().fromFull();
      }
    }
    return "counts delta=" + delta + " full=" + full;
  }

  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String emptyAsDash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got '" + args[i] + "' in " + Arrays.toString(args));
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      System.err.println("fleet worker: " + name + " is required");
      System.exit(2);
    }
    return value;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
