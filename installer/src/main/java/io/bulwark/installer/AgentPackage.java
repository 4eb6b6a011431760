package io.bulwark.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes an installable agent package for one host into a directory: the agent jar, {@code
 * agent.env} (device, kind, controller address, CA pin, JVM options), the one-time token {@code
 * enroll.token} (mode 0600), the hardened systemd unit, {@code install.sh}, {@code uninstall.sh}
 * and a README.
 *
 * <p>Every value is checked against a strict pattern before it is written, so nothing in the
 * package can be made to run as shell or unit syntax. Stateless and thread-safe.
 */
public final class AgentPackage {

  /**
   * The JVM options the unit and install.sh use: serial GC, a heap that starts small and gives
   * memory back, two compiler threads. The ceiling leaves room for a million-element rule set:
   * joining one from chunks fits in 64m with nothing else held, and the nftables applier also keeps
   * the applied rules (about 17 MB) and their element hashes (8 bytes per element) for its deltas.
   * An idle agent's RSS is the same with 48m or 160m (measured with installer/measure-agent.sh).
   *
   * <p>Both compilers, not C1 alone: an agent checks every rule set by SHA-256, which only C2
   * compiles to the CPU's SHA instructions (17 MiB hashed in 14 ms against 147 ms with C1). With C1
   * alone, a 1,000-address delta to a million-element table took a median 41-48 ms to applied and
   * the full set 2.9-3.0 s (AgentApplyBench); with both, 22-28 ms and 2.5-2.8 s, using at most 5.6
   * MB of the 16 MB code cache. The cost: an idle agent's RSS 85-86 MB instead of 78.5 MB, and about
   * 0.2 s more from start to connected at the first start (1.3-1.4 s, enrollment included, on a
   * quiet machine). install.sh adds {@code -XX:TrimNativeHeapInterval=5000} where the host's Java
   * accepts it (recent 17 and 21 updates): 81.7-82.2 MB.
   */
  public static final String JAVA_OPTS =
      "-Xms8m -Xmx160m -Xss512k -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
          + " -XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=16m"
          + " -XX:MaxMetaspaceSize=64m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
          + " -Dio.netty.allocator.type=unpooled";

  private static final Pattern DEVICE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
  private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern CONTROLLER =
      Pattern.compile("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}");
  private static final Pattern PIN = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern FILE_TARGET = Pattern.compile("suricata|yara|rpz|clamav");
  private static final Pattern DIRECTORY = Pattern.compile("/[A-Za-z0-9._/-]{1,200}");
  // No quotes, $, backquote, backslash, % or newline: the value sits in double quotes in agent.env,
  // which bash sources and systemd reads.
  private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9 ._/={}:,+@-]{1,500}");

  /** The applier the package configures. */
  public enum Kind {
    NFTABLES("nftables"),
    IPTABLES("iptables"),
    FILE("file"),
    DRY_RUN("dry-run");

    private final String applier;

    Kind(String applier) {
      this.applier = applier;
    }

    public String applier() {
      return applier;
    }

    /** The rule-set target the controller compiles for an agent of this kind. */
    public String target(FileRules fileRules) {
      return switch (this) {
        case FILE -> fileRules.target();
        case IPTABLES -> "iptables";
        default -> "nftables";
      };
    }

    /**
     * {@code nftables}, {@code iptables}, {@code file} or {@code dry-run}.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.applier.equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "--kind must be nftables, iptables, file or dry-run, not '" + text + "'");
    }
  }

  /**
   * Where a {@link Kind#FILE} agent keeps its rule files and how it checks and reloads them.
   *
   * @param target {@code suricata}, {@code yara}, {@code rpz} or {@code clamav}
   * @param directory an absolute path without {@code ..}
   * @param check the check command ({@code {file}} and {@code {dir}} placeholders), or empty
   * @param reload the reload command, or empty
   */
  public record FileRules(String target, String directory, String check, String reload) {

    public FileRules {
      AgentPackage.check("file target", target, FILE_TARGET);
      AgentPackage.check("rule directory", directory, DIRECTORY);
      if (directory.contains("/../") || directory.endsWith("/..") || directory.contains("//")) {
        throw new IllegalArgumentException("rule directory '" + directory + "' is not a plain absolute path");
      }
      check = check == null ? "" : check.strip();
      reload = reload == null ? "" : reload.strip();
      if (!check.isEmpty()) {
        AgentPackage.check("check command", check, COMMAND);
      }
      if (!reload.isEmpty()) {
        AgentPackage.check("reload command", reload, COMMAND);
      }
    }

    /** The Debian package of the target's usual validator, for install.sh's messages. */
    String validatorPackage() {
      return switch (target) {
        case "rpz" -> "bind9-utils";
        default -> target;
      };
    }
  }

  /**
   * What goes into one package.
   *
   * @param controller the address agents dial, {@code host:port}
   * @param caPin {@code sha256:<hex>} of the controller CA's public key
   * @param tokenFile the token file as {@code bulwark token create} writes it
   * @param fileRules for {@link Kind#FILE} only (required there), else null
   */
  public record Spec(
      String device,
      Kind kind,
      List<String> tags,
      String controller,
      String caPin,
      String tokenFile,
      Path agentJar,
      FileRules fileRules) {

    public Spec {
      check("device", device, DEVICE);
      Objects.requireNonNull(kind, "kind");
      tags = List.copyOf(tags);
      tags.forEach(t -> check("tag", t, TAG));
      check("controller address", controller, CONTROLLER);
      check("CA pin", caPin, PIN);
      Objects.requireNonNull(tokenFile, "tokenFile");
      Objects.requireNonNull(agentJar, "agentJar");
      if ((kind == Kind.FILE) != (fileRules != null)) {
        throw new IllegalArgumentException(
            kind == Kind.FILE
                ? "--kind file needs a file target and a rule directory"
                : "a file target and rule directory are only for --kind file");
      }
    }

    /** A package for any kind but {@link Kind#FILE}. */
    public Spec(
        String device, Kind kind, List<String> tags, String controller, String caPin, String tokenFile,
        Path agentJar) {
      this(device, kind, tags, controller, caPin, tokenFile, agentJar, null);
    }

    /** The rule-set target the controller must compile for this device. */
    public String target() {
      return kind.target(fileRules);
    }

    @Override
    public String toString() {
      return "Spec[device=" + device + ", kind=" + kind + ", controller=" + controller + "]";
    }
  }

  private AgentPackage() {}

  /**
   * Writes the package for {@code spec} into {@code out}, which must not exist or be empty.
   *
   * @throws IllegalArgumentException when {@code out} holds files or the agent jar is missing
   * @throws UncheckedIOException when writing fails
   */
  public static void write(Spec spec, Path out) {
    try {
      if (!Files.isRegularFile(spec.agentJar())) {
        throw new IllegalArgumentException("agent jar not found: " + spec.agentJar());
      }
      if (Files.isDirectory(out)) {
        try (var entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(out + " is not empty");
          }
        }
      }
      Files.createDirectories(out);
      Files.copy(spec.agentJar(), out.resolve("bulwark-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
      write(out.resolve("agent.env"), env(spec), "rw-r-----");
      write(out.resolve("enroll.token"), spec.tokenFile(), "rw-------");
      write(out.resolve("bulwark-agent.service"), unit(spec), "rw-r--r--");
      write(out.resolve("install.sh"), resource("install.sh"), "rwxr-xr-x");
      write(out.resolve("uninstall.sh"), resource("uninstall.sh"), "rwxr-xr-x");
      write(out.resolve("README"), readme(spec), "rw-r--r--");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the agent package to " + out + ": " + e.getMessage(), e);
    }
  }

  private static String env(Spec spec) {
    return "# Bulwark agent configuration, sourced by install.sh and read by the systemd unit.\n"
        + "BULWARK_DEVICE=" + spec.device() + "\n"
        + "BULWARK_APPLIER=" + spec.kind().applier() + "\n"
        + "BULWARK_TAGS=" + String.join(",", spec.tags()) + "\n"
        + "BULWARK_CONTROLLER=" + spec.controller() + "\n"
        + "# SHA-256 of the controller CA's public key; the agent refuses any other CA.\n"
        + "BULWARK_CA_PIN=" + spec.caPin() + "\n"
        + fileEnv(spec.fileRules())
        + "# What the agent does when someone changes its rules by hand (report, or correct: report and\n"
        + "# apply them again), how often it looks, and how long new rules wait for the controller\n"
        + "# to be reached through them before they are rolled back (commit-confirm).\n"
        + "BULWARK_DRIFT_POLICY=report\n"
        + "BULWARK_DRIFT_INTERVAL=60s\n"
        + "BULWARK_CONFIRM_WINDOW=60s\n"
        + "# nftables tables above 10,000 elements: how often the drift check lists them whole to\n"
        + "# compare elements (slow: over 20 s for a million); other checks compare their structure.\n"
        + "BULWARK_ELEMENT_CHECK_INTERVAL=24h\n"
        + "JAVA_OPTS=\"" + JAVA_OPTS + "\"\n"
        + "# Fewer glibc malloc arenas: a few MB less resident memory for a mostly idle daemon.\n"
        + "MALLOC_ARENA_MAX=2\n";
  }

  private static String fileEnv(FileRules rules) {
    if (rules == null) {
      return "";
    }
    return "# The file applier: its target, its rule directory, and the commands run before and after\n"
        + "# installing ({file}: the first rule file, {dir}: their directory; no shell).\n"
        + "BULWARK_FILE_TARGET=" + rules.target() + "\n"
        + "BULWARK_FILE_DIR=" + rules.directory() + "\n"
        + "BULWARK_FILE_CHECK=\"" + rules.check() + "\"\n"
        + "BULWARK_FILE_RELOAD=\"" + rules.reload() + "\"\n"
        + "BULWARK_FILE_PACKAGE=" + rules.validatorPackage() + "\n";
  }

  /** The unit, with the rights the kind needs: CAP_NET_ADMIN for firewalls, the rule directory for files. */
  private static String unit(Spec spec) throws IOException {
    String unit = resource("bulwark-agent.service");
    if (spec.kind() == Kind.FILE) {
      unit = unit.replace("ReadWritePaths=/var/lib/bulwark-agent",
              "ReadWritePaths=/var/lib/bulwark-agent " + spec.fileRules().directory())
          .replace("# Only what nft needs: CAP_NET_ADMIN, nothing else, and no way to gain more.\n"
              + "CapabilityBoundingSet=CAP_NET_ADMIN\nAmbientCapabilities=CAP_NET_ADMIN\n",
              "# Rule files need no capability at all, and there is no way to gain one.\n"
              + "CapabilityBoundingSet=\n");
    } else if (spec.kind() == Kind.IPTABLES) {
      unit = unit.replace("# Only what nft needs:", "# Only what ipset and iptables-restore need:");
    }
    return unit;
  }

  private static String readme(Spec spec) {
    return "Bulwark agent package for device " + spec.device() + " (" + spec.kind().applier() + ")\n\n"
        + "  sudo ./install.sh                 install, enroll and start the systemd unit\n"
        + "  sudo ./install.sh --no-systemd    install and run in the foreground\n"
        + "  sudo ./uninstall.sh [--remove-table]\n\n"
        + "enroll.token is usable once and expires; keep it secret. The agent makes its key on\n"
        + "this host and deletes the token once enrolled. Controller: " + spec.controller() + "\n";
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AgentPackage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(Path file, String text, String mode) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  private static void check(String what, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not valid");
    }
  }
}
