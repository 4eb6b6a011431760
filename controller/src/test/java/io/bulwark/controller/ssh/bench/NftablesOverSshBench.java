package io.bulwark.controller.ssh.bench;

import io.bulwark.controller.approve.ApprovalPolicy;
import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.cli.demo.Demo;
import io.bulwark.controller.cli.demo.HostCommand;
import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.compile.RuleSetCompiler;
import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.DesiredStates;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.controller.ssh.SshDelivery;
import io.bulwark.controller.ssh.SshDevices;
import io.bulwark.controller.ssh.SshExecutor;
import io.bulwark.controller.store.JdbcCountermeasureStore;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcSshDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.rules.spi.GeneratorRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the time to bring 50 {@code linux-nftables} targets to a 1,000-line Bulwark table,
 * pushed and read back equal, over real OpenSSH: Bulwark's SSH delivery (at its default
 * parallelism of 16, and at 50), a plain {@code ssh} loop with 8 in parallel doing the same push
 * and read-back, and Ansible ({@code forks=50}: copy the file, {@code nft -f}, list and compare)
 * where {@code ansible-playbook} is installed. Asserts nothing.
 *
 * <p>Each target is its own network namespace with its own nftables: several {@code sshd} on
 * 127.0.0.1 (at most 16 ports each) run every session of port P inside namespace P with {@code
 * ForceCommand ip netns exec}. Needs root, {@code sshd}, {@code ssh}, {@code nft}; removes
 * everything it made. Arguments (optional): targets (50), rule-set lines (1000).
 */
public final class NftablesOverSshBench {
  private static final int FIRST_PORT = 22610;
  private static final int PORTS_PER_SSHD = 16;
  private static final String NS_PREFIX = "bw-ssh2-t";

  private NftablesOverSshBench() {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN); // figures, not the lifecycle of each device
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path work = Files.createTempDirectory("bulwark-ssh-bench-");
    List<Process> daemons = new ArrayList<>();
    Runnable cleanup = () -> {
      daemons.forEach(Process::destroyForcibly);
      for (int i = 0; i < targets; i++) {
        HostCommand.run(List.of("ip", "netns", "del", NS_PREFIX + i));
      }
      Demo.deleteTree(work);
    };
    Thread hook = new Thread(cleanup);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      keygen(work.resolve("host_key"));
      keygen(work.resolve("client_key"));
      Files.copy(work.resolve("client_key.pub"), work.resolve("authorized_keys"));
      Files.createDirectories(Path.of("/run/sshd"));
      String hostKey = String.join(" ", List.of(Files.readString(work.resolve("host_key.pub")).trim().split("\\s+")).subList(0, 2));
      StringBuilder knownHosts = new StringBuilder();
      for (int i = 0; i < targets; i++) {
        HostCommand.check("ip", "netns", "add", NS_PREFIX + i);
        knownHosts.append("[127.0.0.1]:").append(FIRST_PORT + i).append(' ').append(hostKey).append('\n');
      }
      Files.writeString(work.resolve("known_hosts"), knownHosts);
      for (int first = 0; first < targets; first += PORTS_PER_SSHD) {
        daemons.add(sshd(work, first, Math.min(targets, first + PORTS_PER_SSHD)));
      }
      waitForPorts(targets, daemons);
      System.out.printf("%d targets (network namespaces) behind %d sshd on 127.0.0.1:%d-%d%n", targets, daemons.size(),
          FIRST_PORT, FIRST_PORT + targets - 1);
      for (int parallelism : new int[] {16, 50}) {
        bulwark(work, targets, lines, hostKey, parallelism);
      }
      sshLoop(work, targets, 8);
      ansible(work, targets, 50);
    } finally {
      cleanup.run();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  /** Bulwark's delivery from a fresh controller database, {@code parallelism} sessions at a time. */
  private static void bulwark(Path work, int targets, int lines, String hostKey, int parallelism) throws Exception {
    resetTables(targets);
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    byte[] clientKey = Files.readAllBytes(work.resolve("client_key"));
    try (var db = TestDatabases.freshH2();
        var ssh = new SshExecutor(Duration.ofSeconds(30), Duration.ofSeconds(120)).start()) {
      var devices = new JdbcDeviceStore(db.jdbi());
      var indicators = new JdbcIndicatorStore(db.jdbi(), clock);
      var countermeasures = new JdbcCountermeasureStore(db.jdbi());
      var terms = new IndicatorTerms();
      var desired = new DesiredStates(devices, new RuleSetCompiler(countermeasures, indicators, terms,
          GeneratorRegistry.load(), clock), new AgentSessions());
      var approvals = new Approvals(indicators, countermeasures, devices, terms, desired,
          GuardRails.withDefaults(List.of()), ApprovalPolicy.SINGLE, clock);
      var secrets = SecretBox.random();
      var store = new JdbcSshDeviceStore(db.jdbi());
      var registry = new SshDevices(store, devices, secrets, clock);
      for (int i = 0; i < targets; i++) {
        registry.add(String.format("gw-%02d", i), "127.0.0.1", FIRST_PORT + i, "root", "linux-nftables", hostKey, clientKey,
            List.of());
      }
      approveUntil(indicators, approvals, devices, clock, lines);
      String rules = devices.currentDesired("gw-00").orElseThrow().rules();
      Files.writeString(work.resolve("rules.nft"), "table inet bulwark {}\ndelete table inet bulwark\n" + rules);
      try (var delivery = new SshDelivery(store, devices, secrets, ssh, clock, parallelism, Duration.ofHours(1))) {
        long start = System.nanoTime();
        Map<DeviceState, Integer> states;
        while (true) {
          delivery.runOnce();
          states = new TreeMap<>();
          for (Device d : devices.list()) {
            states.merge(d.state(), 1, Integer::sum);
          }
          if (states.getOrDefault(DeviceState.COMPLIANT, 0) == targets || seconds(start) > 300) {
            break;
          }
          Thread.sleep(20);
        }
        double took = seconds(start);
        System.out.printf("bulwark, %d in parallel: %d targets of a %d-line rule set pushed and verified in %.2f s %s;"
            + " tables checked: %s%n", parallelism, targets, rules.lines().count(), took, states, checkTables(targets, rules));
      }
      Files.writeString(work.resolve("expected"),
          HostCommand.check("ip", "netns", "exec", NS_PREFIX + "0", "nft", "-s", "list", "table", "inet", "bulwark"));
    }
  }

  /** The same push and read-back with the OpenSSH client, {@code parallel} at a time. */
  private static void sshLoop(Path work, int targets, int parallel) throws Exception {
    resetTables(targets);
    Files.createDirectories(work.resolve("out"));
    String script = "cd " + work + " && seq 0 " + (targets - 1) + " | xargs -P " + parallel + " -I{} sh -c '"
        + "ssh -q -p $((" + FIRST_PORT + "+{})) -i client_key -o BatchMode=yes -o UserKnownHostsFile=known_hosts"
        + " -o StrictHostKeyChecking=yes root@127.0.0.1 \"nft -f - && nft -s list table inet bulwark\""
        + " < rules.nft > out/{} && cmp -s out/{} expected || echo FAILED {}'";
    long start = System.nanoTime();
    var r = HostCommand.run(List.of("bash", "-c", script));
    double took = seconds(start);
    System.out.printf("ssh loop, %d in parallel: %d targets pushed and verified in %.2f s (exit %d%s); tables checked: %s%n",
        parallel, targets, took, r.exitCode(), r.stdout().isBlank() ? "" : ", " + r.stdout().strip(),
        checkTables(targets, Files.readString(work.resolve("expected"))));
  }

  /** Ansible from Debian's packages: copy, {@code nft -f}, list and compare, with {@code forks}. */
  private static void ansible(Path work, int targets, int forks) throws Exception {
    if (!HostCommand.available("ansible-playbook")) {
      System.out.println("ansible: ansible-playbook is not installed; skipped");
      return;
    }
    resetTables(targets);
    StringBuilder inventory = new StringBuilder("[targets]\n");
    for (int i = 0; i < targets; i++) {
      inventory.append("t").append(i).append(" ansible_host=127.0.0.1 ansible_port=").append(FIRST_PORT + i).append('\n');
    }
    inventory.append("[targets:vars]\nansible_user=root\nansible_ssh_private_key_file=").append(work.resolve("client_key"))
        .append("\nansible_ssh_common_args='-o UserKnownHostsFile=").append(work.resolve("known_hosts"))
        .append(" -o StrictHostKeyChecking=yes'\nansible_python_interpreter=/usr/bin/python3\n");
    Files.writeString(work.resolve("inventory"), inventory);
    Files.createDirectories(work.resolve("pushed"));
    Files.writeString(work.resolve("push.yml"), String.join("\n",
        "- hosts: targets",
        "  gather_facts: false",
        "  tasks:",
        "    - copy: {src: " + work.resolve("rules.nft") + ", dest: '" + work.resolve("pushed") + "/{{ inventory_hostname }}.nft'}",
        "    - command: nft -f " + work.resolve("pushed") + "/{{ inventory_hostname }}.nft",
        "    - command: nft -s list table inet bulwark",
        "      register: listed",
        "    - assert: {that: \"listed.stdout == lookup('file', '" + work.resolve("expected") + "')\", quiet: true}",
        ""));
    Files.writeString(work.resolve("ansible.cfg"), "[defaults]\nforks = " + forks
        + "\nhost_key_checking = True\nretry_files_enabled = False\n[ssh_connection]\npipelining = True\n");
    ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", "inventory", "push.yml").directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve("ansible.log").toFile());
    pb.environment().put("ANSIBLE_CONFIG", work.resolve("ansible.cfg").toString());
    long start = System.nanoTime();
    int exit = pb.start().waitFor();
    double took = seconds(start);
    String log = Files.readString(work.resolve("ansible.log"));
    String recap = log.lines().filter(l -> l.contains("failed=") && !l.contains("failed=0")).count() + " hosts failed";
    System.out.printf("ansible, forks=%d: %d targets pushed and verified in %.2f s (exit %d, %s); tables checked: %s%n", forks,
        targets, took, exit, recap, checkTables(targets, Files.readString(work.resolve("expected"))));
  }

  private static Process sshd(Path work, int first, int end) throws Exception {
    List<String> config = new ArrayList<>(List.of("HostKey " + work.resolve("host_key"),
        "PidFile " + work.resolve("sshd-" + first + ".pid"), "AuthorizedKeysFile " + work.resolve("authorized_keys"),
        "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "UsePAM no", "StrictModes no", "UseDNS no", "MaxStartups 200", "MaxSessions 50", "LogLevel ERROR",
        "Subsystem sftp /usr/lib/openssh/sftp-server"));
    for (int i = first; i < end; i++) {
      config.add(1, "ListenAddress 127.0.0.1:" + (FIRST_PORT + i));
    }
    for (int i = first; i < end; i++) {
      config.add("Match LocalPort " + (FIRST_PORT + i));
      config.add("  ForceCommand ip netns exec " + NS_PREFIX + i + " /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"");
    }
    Path file = work.resolve("sshd_config-" + first);
    Files.writeString(file, String.join("\n", config) + "\n");
    return new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", file.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("sshd-" + first + ".log").toFile()).start();
  }

  private static void waitForPorts(int targets, List<Process> daemons) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    for (int i = 0; i < targets; i++) {
      while (!io.bulwark.controller.cli.demo.TcpProbe.connects(null, "127.0.0.1", FIRST_PORT + i, 300)) {
        if (System.nanoTime() > deadline || daemons.stream().anyMatch(p -> !p.isAlive())) {
          throw new IllegalStateException("sshd did not start on port " + (FIRST_PORT + i));
        }
        Thread.sleep(50);
      }
    }
  }

  /** Approves addresses until the nftables rule set has at least {@code lines} lines. */
  private static void approveUntil(JdbcIndicatorStore indicators, Approvals approvals, JdbcDeviceStore devices,
      MutableClock clock, int lines) {
    int n = 0;
    int batch = 0;
    while (devices.currentDesired("gw-00").map(d -> d.rules().lines().count()).orElse(0L) < lines) {
      int size = Math.max(1, (int) (lines - devices.currentDesired("gw-00").map(d -> d.rules().lines().count()).orElse(0L)));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < size; i++, n++) {
        String id = String.format("indicator--00000000-0000-4000-8000-%012d", n + 1);
        String ip = "198.18." + (n / 120) + "." + (2 * (n % 120) + 1);
        indicators.offer(new StoredIndicator(id, clock.instant(), "scanner", "[ipv4-addr:value = '" + ip + "']", "stix",
            clock.instant(), null, false, "bench", "{}"));
        ids.add(id);
      }
      approvals.approve(ids, Countermeasure.Action.BLOCK, Scope.parse("all"), null, "bench " + (++batch), "", "bench");
    }
  }

  private static void resetTables(int targets) {
    for (int i = 0; i < targets; i++) {
      HostCommand.run(List.of("ip", "netns", "exec", NS_PREFIX + i, "nft", "delete", "table", "inet", "bulwark"));
    }
  }

  /** How many targets hold exactly {@code rules} now, as nft lists them. */
  private static String checkTables(int targets, String rules) {
    int equal = 0;
    for (int i = 0; i < targets; i++) {
      var r = HostCommand.run(List.of("ip", "netns", "exec", NS_PREFIX + i, "nft", "-s", "list", "table", "inet", "bulwark"));
      if (r.exitCode() == 0 && r.stdout().strip().replaceAll("[ \\t]+\\n", "\n").equals(rules.strip().replaceAll("[ \\t]+\\n", "\n"))) {
        equal++;
      }
    }
    return equal + "/" + targets + " equal to the rule set";
  }

  private static void keygen(Path file) {
    HostCommand.check("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", file.toString());
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
