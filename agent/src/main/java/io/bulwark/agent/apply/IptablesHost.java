package io.bulwark.agent.apply;

import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The host commands the iptables applier runs, and what it reads from them. Every read is cheap
 * whatever the size of the sets ({@code ipset list -t} prints headers only), except {@link
 * #saveSets}, which callers use only for small sets or to keep a rollback copy. Not thread-safe.
 */
final class IptablesHost {

  /** A live set's header: {@code ipset list -t}. */
  record SetHeader(String name, String type, int entries, int references) {}

  /**
   * Bulwark's part of one family's filter table.
   *
   * @param chains the BULWARK chains that exist
   * @param rules their {@code -A} lines in order, as iptables-save prints them
   * @param jumps the built-in chains (INPUT, FORWARD, OUTPUT) with a rule jumping to their BULWARK
   *     chain
   */
  record Chains(List<String> chains, List<String> rules, List<String> jumps) {
    boolean isEmpty() {
      return chains.isEmpty() && rules.isEmpty() && jumps.isEmpty();
    }
  }

  /** A command failed: its message, as the tool printed it. */
  static final class ToolException extends Exception {
    ToolException(String message) {
      super(message);
    }
  }

  private final IptablesTools commands;
  private final Path workDir;
  private final Duration timeout;
  private final CommandRunner runner;

  IptablesHost(IptablesTools commands, Path workDir, Duration timeout) {
    this.commands = Objects.requireNonNull(commands, "commands");
    this.workDir = workDir;
    this.timeout = timeout;
    this.runner = new CommandRunner(workDir);
  }

  /** Every live set's header, by name, in the order ipset prints them. */
  Map<String, SetHeader> listSets() throws IOException, ToolException {
    String out = run("ipset list -t", List.of(commands.ipset(), "list", "-t"));
    Map<String, SetHeader> sets = new LinkedHashMap<>();
    String name = null;
    String type = null;
    int references = 0;
    for (String line : out.split("\n")) {
      if (line.startsWith("Name: ")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("Type: ")) {
        type = line.substring(6).strip();
      } else if (line.startsWith("References: ")) {
        references = Integer.parseInt(line.substring(12).strip());
      } else if (line.startsWith("Number of entries: ") && name != null) {
        sets.put(name, new SetHeader(name, type, Integer.parseInt(line.substring(19).strip()), references));
        name = null;
      }
    }
    return sets;
  }

  /** {@code ipset save} of the named sets: their create and add lines. */
  String saveSets(List<String> names) throws IOException, ToolException {
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      out.append(run("ipset save", List.of(commands.ipset(), "save", name)));
    }
    return out.toString();
  }

  /** Returns true when {@code element} is in {@code set} ({@code ipset test}). */
  boolean contains(String set, String element) throws IOException {
    return runner.run(List.of(commands.ipset(), "test", set, element), timeout).succeeded();
  }

  /** Runs {@code ipset restore} on {@code text} (written to a private file first). */
  void restoreSets(String fileName, String text) throws IOException, ToolException {
    Path file = write(fileName, text);
    run("ipset restore", List.of(commands.ipset(), "restore", "-file", file.toString()));
  }

  /** Destroys one set; returns ipset's message when it cannot (for example, still in use). */
  String destroy(String set) throws IOException {
    CommandRunner.Result result = runner.run(List.of(commands.ipset(), "destroy", set), timeout);
    return result.succeeded() ? null : result.describe("ipset destroy " + set, timeout);
  }

  /** Bulwark's part of one family's filter table, from {@code iptables-save -t filter}. */
  Chains chains(boolean ipv6) throws IOException, ToolException {
    String save = ipv6 ? commands.ip6tablesSave() : commands.iptablesSave();
    String out = run(save(ipv6), List.of(save, "-t", "filter"));
    List<String> chains = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    List<String> jumps = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith(":BULWARK-")) {
        chains.add(line.substring(1, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' ')));
      } else if (line.startsWith("-A BULWARK-")) {
        rules.add(line.strip().replaceAll(" +", " "));
      } else {
        for (String chain : IptablesRules.CHAINS) {
          String builtIn = chain.substring("BULWARK-".length());
          if (line.strip().equals("-A " + builtIn + " -j " + chain)) {
            jumps.add(builtIn);
          }
        }
      }
    }
    return new Chains(chains, rules, jumps);
  }

  /** Runs {@code iptables-restore --noflush} (with {@code --test}: only checks) on {@code text}. */
  void restoreChains(boolean ipv6, boolean test, String text) throws IOException, ToolException {
    Path file = write(ipv6 ? "bulwark-apply.ip6tables" : "bulwark-apply.iptables", text);
    List<String> command = new ArrayList<>();
    command.add(ipv6 ? commands.ip6tablesRestore() : commands.iptablesRestore());
    if (test) {
      command.add("--test");
    }
    command.add("--noflush");
    command.add(file.toString());
    run((ipv6 ? "ip6tables-restore" : "iptables-restore") + (test ? " --test" : ""), command);
  }

  private static String save(boolean ipv6) {
    return ipv6 ? "ip6tables-save" : "iptables-save";
  }

  private Path write(String fileName, String text) throws IOException {
    Path file = workDir.resolve(fileName);
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    return file;
  }

  private String run(String what, List<String> command) throws IOException, ToolException {
    CommandRunner.Result result = runner.run(command, timeout);
    if (!result.succeeded()) {
      throw new ToolException(result.describe(what, timeout));
    }
    return result.stdout();
  }
}
