package io.bulwark.controller.cli;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.installer.AgentPackage;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bulwark agent-package}: creates a one-time token for a device and writes everything its
 * host needs into one directory (see {@link AgentPackage}): copy the directory to the host and run
 * {@code install.sh}.
 */
@Command(
    name = "agent-package",
    mixinStandardHelpOptions = true,
    description = {
      "Writes an installable agent package for one device: the agent jar, its configuration,",
      "a one-time enrollment token (mode 0600), a hardened systemd unit, install.sh and uninstall.sh."
    })
final class AgentPackageCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--device", required = true, paramLabel = "NAME", description = "The device it enrolls.")
  String device;

  @Option(names = "--kind", defaultValue = "nftables", paramLabel = "KIND",
      description = "The agent's applier: nftables, iptables, file or dry-run (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--file-target", paramLabel = "TARGET",
      description = "With --kind file: suricata, yara, rpz or clamav.")
  String fileTarget;

  @Option(names = "--file-dir", paramLabel = "DIR",
      description = "With --kind file: the host's rule directory (created by install.sh if missing).")
  String fileDir;

  @Option(names = "--file-check", paramLabel = "COMMAND",
      description = "With --kind file: run on the staged files before installing them, e.g. 'yara -w {file} /dev/null'.")
  String fileCheck;

  @Option(names = "--file-reload", paramLabel = "COMMAND",
      description = "With --kind file: run after installing, e.g. 'rndc reload rpz.bulwark'.")
  String fileReload;

  @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Scope tags for the device.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION",
      description = "How long the token stays usable (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the package (new or empty).")
  Path out;

  @Option(names = "--agent-jar", paramLabel = "FILE",
      description = "The agent jar to package (default: the one next to this controller).")
  Path agentJar;

  @Override
  public Integer call() {
    AgentPackage.Kind parsedKind;
    try {
      parsedKind = AgentPackage.Kind.parse(kind);
    } catch (IllegalArgumentException e) {
      throw new BulwarkException.Usage(e.getMessage());
    }
    AgentPackage.FileRules fileRules = null;
    if (parsedKind == AgentPackage.Kind.FILE) {
      if (fileTarget == null || fileDir == null) {
        throw new BulwarkException.Usage("--kind file needs --file-target and --file-dir");
      }
      try {
        fileRules = new AgentPackage.FileRules(fileTarget, fileDir, fileCheck, fileReload);
      } catch (IllegalArgumentException e) {
        throw new BulwarkException.Usage(e.getMessage());
      }
    } else if (fileTarget != null || fileDir != null || fileCheck != null || fileReload != null) {
      throw new BulwarkException.Usage("the --file-* options need --kind file");
    }
    String target = parsedKind.target(fileRules);
    Path jar = agentJar != null ? agentJar : defaultAgentJar();
    long ttlSeconds = Durations.parse("--ttl", ttl).toSeconds();
    CreateEnrollmentTokenResponse r;
    try (AdminClient client = AdminClient.open(dataDir.get())) {
      r = client.stub().createEnrollmentToken(
          CreateEnrollmentTokenRequest.newBuilder()
              .setDevice(device)
              .addAllTags(tags)
              .setTtlSeconds(ttlSeconds)
              .setTarget(target)
              .build());
    }
    try {
      AgentPackage.write(
          new AgentPackage.Spec(
              r.getDevice(), parsedKind, tags, r.getControllerAddress(), r.getCaPin(),
              TokenFiles.text(r), jar, fileRules),
          out);
    } catch (IllegalArgumentException e) {
      throw new BulwarkException.Usage(e.getMessage());
    }
    System.err.println("agent package for " + r.getDevice() + " (" + parsedKind.applier() + ") written to " + out
        + "; its token is usable once until " + Instant.ofEpochMilli(r.getExpiresAtMillis()));
    return 0;
  }

  private static Path defaultAgentJar() {
    String configured = System.getProperty("bulwark.agent.jar");
    if (configured == null || configured.isBlank()) {
      throw new BulwarkException.Usage("--agent-jar is required (no agent jar is known to this controller)");
    }
    return Path.of(configured);
  }
}
