package io.bulwark.agent.host;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.config.HostPort;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's directory on the host and the names of the files in it.
 *
 * <p>The directory is private to the agent (mode 0700). It holds {@code agent.key} (0600), {@code
 * agent.crt}, {@code ca.pem}, {@code state.properties}, {@code agent.properties} (the controller
 * address used at enrollment) and the appliers' working files. Thread-safe.
 */
public final class DataDir {

  private static final Logger log = LoggerFactory.getLogger(DataDir.class);
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;

  public DataDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * Creates the directory with mode 0700, or tightens an existing one to 0700.
   *
   * @throws AgentException when the directory cannot be created or its mode set
   */
  public void prepare() {
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        // createDirectories is subject to the umask; set the mode explicitly.
        Files.setPosixFilePermissions(root, PRIVATE_DIR);
        return;
      }
      Set<PosixFilePermission> current = Files.getPosixFilePermissions(root);
      if (!current.equals(PRIVATE_DIR)) {
        Files.setPosixFilePermissions(root, PRIVATE_DIR);
        log.warn(
            "data dir {} had mode {}; set it to rwx------",
            root,
            PosixFilePermissions.toString(current));
      }
    } catch (IOException e) {
      throw new AgentException("cannot prepare data dir " + root + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  public Path privateKey() {
    return root.resolve("agent.key");
  }

  /** Where an expired certificate is set aside before the agent enrolls again. */
  public Path expiredCertificate() {
    return root.resolve("agent.crt.expired");
  }

  public Path certificate() {
    return root.resolve("agent.crt");
  }

  public Path caCertificate() {
    return root.resolve("ca.pem");
  }

  public Path appliedState() {
    return root.resolve("state.properties");
  }

  /** The controller's bundle signing key, pinned at enrollment. */
  public Path bundleSigningKey() {
    return root.resolve("controller-signing.pub");
  }

  /** The status outbox ({@link io.bulwark.agent.outbox.StatusOutbox}). */
  public Path outbox() {
    return root.resolve("outbox");
  }

  /** The highest generation ever accepted. */
  public Path highWaterMark() {
    return root.resolve("highwater");
  }

  public Path resolve(String fileName) {
    return root.resolve(fileName);
  }

  /** True when the key, the certificate and the CA are all present. */
  public boolean isEnrolled() {
    return Files.isRegularFile(privateKey())
        && Files.isRegularFile(certificate())
        && Files.isRegularFile(caCertificate());
  }

  /** Records the controller address used at enrollment, for starts without --controller. */
  public void rememberController(HostPort controller) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("controller", controller.toString());
    StringWriter text = new StringWriter();
    properties.store(text, "written by bulwark agent at enrollment");
    AtomicFiles.write(
        root.resolve("agent.properties"),
        text.toString().getBytes(StandardCharsets.UTF_8),
        AtomicFiles.OWNER_ONLY);
  }

  /** The controller address recorded at enrollment, if any. */
  public Optional<HostPort> rememberedController() {
    Path file = root.resolve("agent.properties");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String value = properties.getProperty("controller");
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(HostPort.parse(value));
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
