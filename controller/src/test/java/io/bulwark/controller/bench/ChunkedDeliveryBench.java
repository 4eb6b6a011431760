package io.bulwark.controller.bench;

import io.bulwark.agent.Agent;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.fleet.MemoryApplier;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.cli.TokenFiles;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times the delivery of one large nftables set (default 1,000,000 addresses, about 20 MB) from a
 * real controller to one real agent over mutual TLS on loopback, in chunks, applied by the
 * in-memory applier. The agent runs in its own JVM with a small heap (default {@code -Xmx64m}) and
 * prints the time from its stream opening to the applied, verified generation, and the peak heap
 * used. Usage, with the controller's test classpath: {@code java -cp ...
 * io.bulwark.controller.bench.ChunkedDeliveryBench [ELEMENTS] [AGENT_XMX]}.
 */
public final class ChunkedDeliveryBench {
  private ChunkedDeliveryBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("agent")) {
      agent(new HostPort("127.0.0.1", Integer.parseInt(args[1])), Path.of(args[2]), Path.of(args[3]),
          Long.parseLong(args[4]));
      return;
    }
    int elements = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String xmx = args.length > 1 ? args[1] : "64m";
    Path work = Files.createTempDirectory("bulwark-chunk-bench-");
    long t = System.nanoTime();
    String rules = rules(elements);
    System.out.printf("generated %,d elements, %,d bytes, in %d ms%n", elements, rules.length(), ms(t));
    Clock clock = Clock.systemUTC();
    try (ControllerMain controller = new ControllerMain(new ControllerConfig(work.resolve("controller"),
        new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), null, List.of(),
        Duration.ofDays(1)), clock, new GeneratorRegistry(List.of(new FixedRules(rules)))).start();
        AdminClient admin = AdminClient.open(work.resolve("controller"))) {
      var token = admin.stub().createEnrollmentToken(
          CreateEnrollmentTokenRequest.newBuilder().setDevice("bench-01").setTtlSeconds(3600).build());
      Path tokenFile = work.resolve("token");
      TokenFiles.write(tokenFile, token);
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ChunkedDeliveryBench.class.getName(),
          "agent", String.valueOf(controller.agentAddress().getPort()), work.resolve("agent").toString(),
          tokenFile.toString(), String.valueOf(rules.length())));
      Process agent = new ProcessBuilder(command).inheritIO().start();
      if (!agent.waitFor(5, TimeUnit.MINUTES)) {
        agent.destroyForcibly();
        throw new AssertionError("the agent did not finish within 5 minutes");
      }
      System.out.printf("agent JVM (-Xmx%s) exited with %d%n", xmx, agent.exitValue());
      if (agent.exitValue() != 0) {
        System.exit(1);
      }
    }
  }

  /** The agent's side, in its own JVM: enroll, connect, wait for generation 1, report. */
  private static void agent(HostPort controller, Path data, Path token, long expectedChars) throws Exception {
    MemoryApplier applier = new MemoryApplier();
    Agent agent = new Agent(new AgentConfig(controller, data, token, applier, Clock.systemUTC()));
    try {
      long t = System.nanoTime();
      agent.start();
      if (!agent.awaitConnected(Duration.ofSeconds(30))) {
        throw new AssertionError("not connected");
      }
      long connected = System.nanoTime();
      if (!agent.awaitApplied(1, Duration.ofMinutes(4))) {
        throw new AssertionError("generation 1 not applied");
      }
      long applied = System.nanoTime();
      if (applier.live().length() != expectedChars) {
        throw new AssertionError("applied " + applier.live().length() + " chars, expected " + expectedChars);
      }
      System.out.printf("agent: enrolled and connected in %d ms; generation 1 (%,d bytes, digest %s...) "
              + "delivered in chunks, verified and applied %d ms after connecting%n",
          (connected - t) / 1_000_000, applier.live().length(), agent.appliedState().digest().substring(0, 12),
          (applied - connected) / 1_000_000);
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf("agent: heap peak %,d KiB (sum of pool peaks) within max %,d KiB%n", peak / 1024,
          Runtime.getRuntime().maxMemory() / 1024);
    } finally {
      agent.stop();
    }
  }

  private static long ms(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** One nftables set of {@code elements} distinct IPv4 addresses. */
  static String rules(int elements) {
    StringBuilder s = new StringBuilder(elements * 20);
    s.append("table inet bulwark {\n\tset blocked_v4 {\n\t\ttype ipv4_addr\n\t\telements = {\n");
    for (int i = 0; i < elements; i++) {
      int n = i + 1;
      s.append("\t\t\t10.").append(n >> 16 & 255).append('.').append(n >> 8 & 255).append('.').append(n & 255)
          .append(i + 1 < elements ? ",\n" : "\n");
    }
    return s.append("\t\t}\n\t}\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n")
        .append("\t\tip saddr @blocked_v4 drop\n\t}\n}\n").toString();
  }

  /** The nftables target, with the same rule set whatever the countermeasures. */
  private static final class FixedRules implements RuleGenerator {
    private final String text;

    FixedRules(String text) {
      this.text = text;
    }

    @Override
    public String id() {
      return "nftables";
    }

    @Override
    public GenerationResult generate(RuleInput input) {
      return new GenerationResult.Rules(text, List.of());
    }
  }
}
