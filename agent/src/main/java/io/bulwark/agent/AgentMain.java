package io.bulwark.agent;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.apply.DryRunApplier;
import io.bulwark.agent.apply.FileApplier;
import io.bulwark.agent.apply.FileCommand;
import io.bulwark.agent.apply.FileTarget;
import io.bulwark.agent.apply.IptablesApplier;
import io.bulwark.agent.apply.IptablesTools;
import io.bulwark.agent.apply.NftablesApplier;
import io.bulwark.agent.bundle.DriftCheck;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.ConfigException;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.config.TokenFile;
import io.bulwark.agent.host.DataDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bulwark agent}: the composition root of the agent process.
 *
 * <p>Parses the command line, resolves it into an {@link AgentConfig}, builds the applier and runs
 * an {@link Agent} until SIGTERM or SIGINT. Exit codes: 0 after a clean stop or {@code --help}, 2
 * for bad usage (a missing option, an unreadable token file, a bad address), 1 when an operation
 * fails (for example enrollment refused). Errors are one line on stderr.
 */
@Command(
    name = "bulwark agent",
    sortOptions = false,
    description =
        "Enrolls this host with a Bulwark controller, keeps a stream to it and applies"
            + " the rule sets it sends.")
public final class AgentMain implements Callable<Integer> {

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      description =
          "Controller address; defaults to the token file's 'controller', then to the"
              + " address used at enrollment.")
  private String controller;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "One-time token from 'bulwark token create'; needed only until enrolled.")
  private Path tokenFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      required = true,
      description = "Directory for the key, certificates and state (mode 0700).")
  private Path dataDir;

  @Option(
      names = "--applier",
      paramLabel = "KIND",
      defaultValue = NftablesApplier.KIND,
      description = "nftables (default), iptables (ipset + iptables-restore), file (rule files for"
              + " --file-target) or dry-run.")
  private String applier;

  @Option(
      names = "--nft",
      paramLabel = "PATH",
      defaultValue = "nft",
      description = "The nft command (default: nft on PATH).")
  private String nft;

  @Option(
      names = "--file-target",
      defaultValue = "${env:BULWARK_FILE_TARGET}",
      paramLabel = "TARGET",
      description =
          "With --applier file: suricata, yara, rpz or clamav. The four --file options default to"
              + " BULWARK_FILE_TARGET, _DIR, _CHECK and _RELOAD from the environment.")
  private String fileTarget;

  @Option(
      names = "--file-dir",
      defaultValue = "${env:BULWARK_FILE_DIR}",
      paramLabel = "DIR",
      description =
          "With --applier file: the directory of the rule files (the agent owns its files named"
              + " bulwark*).")
  private String fileDir;

  @Option(
      names = "--file-check",
      defaultValue = "${env:BULWARK_FILE_CHECK}",
      paramLabel = "COMMAND",
      description =
          "With --applier file: run before installing, on the staged files; {file} is the first"
              + " file, {dir} their directory (e.g. 'yara -w {file} /dev/null'). No shell.")
  private String fileCheck;

  @Option(
      names = "--file-reload",
      defaultValue = "${env:BULWARK_FILE_RELOAD}",
      paramLabel = "COMMAND",
      description =
          "With --applier file: run after installing (e.g. 'rndc reload rpz.bulwark'); on failure"
              + " the previous files are put back. No shell.")
  private String fileReload;

  @Option(
      names = "--confirm-window",
      paramLabel = "DURATION",
      defaultValue = "${env:BULWARK_CONFIRM_WINDOW:-60s}",
      description =
          "How long new rules stay without the controller confirming them through the new"
              + " rules before the agent restores the previous ones (e.g. 60s, 2m; 0 turns"
              + " commit-confirm off; default 60s, or BULWARK_CONFIRM_WINDOW from the environment).")
  private String confirmWindow;

  @Option(
      names = "--drift-policy",
      paramLabel = "POLICY",
      defaultValue = "${env:BULWARK_DRIFT_POLICY:-report}",
      description =
          "When the live rules differ from those applied: report (default) or correct"
              + " (report, then apply them again); BULWARK_DRIFT_POLICY from the environment.")
  private String driftPolicy;

  @Option(
      names = "--drift-interval",
      paramLabel = "DURATION",
      defaultValue = "${env:BULWARK_DRIFT_INTERVAL:-60s}",
      description =
          "How often to compare the live rules with those applied (default 60s, or"
              + " BULWARK_DRIFT_INTERVAL from the environment; 0: only at start-up and after each connect).")
  private String driftInterval;

  @Option(
      names = "--element-check-interval",
      paramLabel = "DURATION",
      defaultValue = "${env:BULWARK_ELEMENT_CHECK_INTERVAL:-24h}",
      description =
          "nftables: how often a drift check of a table above 10,000 elements lists it whole to"
              + " compare elements (default 24h, or BULWARK_ELEMENT_CHECK_INTERVAL from the environment;"
              + " listing a million elements takes nft over 20 s, during which nothing is applied; 0: at"
              + " every drift check). Other drift checks compare such a table's structure only.")
  private String elementCheckInterval;

  @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Spec private CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new AgentMain());
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("bulwark agent: " + e.getMessage());
          err.println("Try 'bulwark agent --help'.");
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          cl.getErr().println("bulwark agent: " + e);
          return EXIT_FAILURE;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Agent agent;
    try {
      agent = new Agent(config(Clock.systemUTC()));
      Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "bulwark-shutdown"));
      agent.start();
    } catch (ConfigException e) {
      err.println("bulwark agent: " + e.getMessage());
      return EXIT_USAGE;
    } catch (AgentException e) {
      err.println("bulwark agent: " + e.getMessage());
      return EXIT_FAILURE;
    }
    agent.awaitStopped();
    return 0;
  }

  /** Resolves the options; one {@link ConfigException} for the first bad one. */
  AgentConfig config(Clock clock) {
    DataDir dir = new DataDir(dataDir);
    if (!dir.isEnrolled() && tokenFile == null) {
      throw new ConfigException(
          "not enrolled yet (no credentials in " + dataDir + "): --token-file is required");
    }
    TokenFile token = dir.isEnrolled() || tokenFile == null ? null : TokenFile.read(tokenFile);
    HostPort address;
    if (controller != null) {
      address = HostPort.parse(controller);
    } else if (token != null && token.controller() != null) {
      address = token.controller();
    } else {
      address =
          dir.rememberedController()
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "--controller is required"
                              + (token == null
                                  ? ""
                                  : " (token file " + tokenFile + " has no 'controller')")));
    }
    return new AgentConfig(
        address,
        dataDir,
        // Enrolled: the agent reads it only once its certificate has expired, if it is there then
        // (the unit names the file whether or not it still exists).
        tokenFile,
        applier(dataDir),
        clock,
        duration("--confirm-window", confirmWindow),
        DriftCheck.Policy.parse(driftPolicy)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--drift-policy must be report or correct, not '" + driftPolicy + "'")),
        duration("--drift-interval", driftInterval));
  }

  /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 2m}, {@code 24h}: a non-negative duration. */
  static Duration duration(String option, String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)?").matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(
          option + " must be a number with an optional unit ms, s, m or h, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private Applier applier(Path dir) {
    if (!applier.equals(FileApplier.KIND)) {
      for (String[] option :
          new String[][] {
            {"--file-target", fileTarget}, {"--file-dir", fileDir},
            {"--file-check", fileCheck}, {"--file-reload", fileReload}
          }) {
        if (given(option[1])) {
          throw new ConfigException(option[0] + " needs --applier file");
        }
      }
    }
    return switch (applier) {
      case NftablesApplier.KIND ->
          new NftablesApplier(nft, dir, NftablesApplier.DEFAULT_TIMEOUT,
              duration("--element-check-interval", elementCheckInterval));
      case IptablesApplier.KIND -> new IptablesApplier(IptablesTools.onPath(), dir);
      case FileApplier.KIND -> fileApplier(dir);
      case DryRunApplier.KIND -> new DryRunApplier(dir);
      default ->
          throw new ConfigException(
              "--applier must be nftables, iptables, file or dry-run, not '" + applier + "'");
    };
  }

  private FileApplier fileApplier(Path dir) {
    if (!given(fileTarget)) {
      throw new ConfigException("--applier file needs --file-target suricata, yara, rpz or clamav");
    }
    FileTarget target =
        FileTarget.parse(fileTarget)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--file-target must be suricata, yara, rpz or clamav, not '" + fileTarget + "'"));
    if (!given(fileDir)) {
      throw new ConfigException("--applier file needs --file-dir, the directory of the rule files");
    }
    Path rules = Path.of(fileDir);
    if (!java.nio.file.Files.isDirectory(rules)) {
      throw new ConfigException("--file-dir " + fileDir + " is not a directory");
    }
    return new FileApplier(
        target, rules, command("--file-check", fileCheck), command("--file-reload", fileReload), dir);
  }

  private static java.util.Optional<FileCommand> command(String option, String text) {
    if (!given(text)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(FileCommand.parse(text));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }

  /** Empty counts as not given: the systemd unit passes every option, empty when unset. */
  private static boolean given(String value) {
    return value != null && !value.isBlank();
  }
}
