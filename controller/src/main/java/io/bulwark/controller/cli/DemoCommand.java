package io.bulwark.controller.cli;

import io.bulwark.controller.cli.demo.Demo;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.domain.BulwarkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark demo}: the whole flow on this machine, with real parts. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole flow on this machine with real parts (needs root).",
      "A controller on embedded H2, two hosts in network namespaces",
      "with a real agent and real nftables each, a STIX bundle (WannaCry, CVE-2017-0144)",
      "ingested and approved, status converging live, and the block proven with real TCP traffic.",
      "Needs root (network namespaces, nftables). Removes everything it created, also on Ctrl-C.",
      "Exit 0 only if every check passed."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--agent-jar", paramLabel = "JAR",
      description = "The agent jar (default: found next to this build, or $BULWARK_AGENT_JAR).")
  Path agentJar;

  @Override
  public Integer call() throws InterruptedException {
    if (!isRoot()) {
      System.err.println("bulwark demo needs root: it creates network namespaces and loads nftables rules in them.");
      System.err.println("Run it as root, for example: sudo ./bulwark demo");
      return 1;
    }
    for (String tool : new String[] {"ip", "nft"}) {
      if (!HostCommand.available(tool)) {
        System.err.println("bulwark demo needs '" + tool + "': apt-get install -y " + (tool.equals("ip") ? "iproute2" : "nftables"));
        return 1;
      }
    }
    Path jar = agentJar == null ? findAgentJar() : agentJar;
    if (!Files.isRegularFile(jar)) {
      throw new BulwarkException.Usage("agent jar " + jar + " not found; build with: mvn -q -DskipTests package");
    }
    // The live table owns the terminal: the in-process controller logs warnings and errors only.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Demo demo = new Demo(jar, System.out, System.console() != null);
    Thread hook = new Thread(() -> {
      System.out.println();
      System.out.println("bulwark demo: interrupted; removing the namespaces, processes and files it made");
      demo.close();
    }, "bulwark-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean ok;
    try {
      ok = demo.run();
    } finally {
      demo.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return ok ? 0 : 1;
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The agent jar of the same build: an explicit setting, else {@code agent/target} beside this jar's module. */
  static Path findAgentJar() {
    String configured = System.getProperty("bulwark.agent.jar", System.getenv("BULWARK_AGENT_JAR"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path self = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path agentTarget = self.getParent().getParent().getParent().resolve("agent").resolve("target");
    try (Stream<Path> files = Files.list(agentTarget)) {
      return files.filter(p -> p.getFileName().toString().matches("bulwark-agent-.*-all\\.jar")).findFirst()
          .orElse(agentTarget.resolve("bulwark-agent-all.jar"));
    } catch (IOException e) {
      return agentTarget.resolve("bulwark-agent-all.jar");
    }
  }
}
