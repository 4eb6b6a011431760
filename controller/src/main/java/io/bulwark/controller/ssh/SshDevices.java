package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.domain.SshDeviceStore;
import io.bulwark.controller.pki.Enrollment;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.rules.ciscoios.CiscoIosDelta;
import io.bulwark.rules.junos.JunosDelta;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.RuleInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Registers agentless devices: checks what it is given, seals the key, records the device. */
public final class SshDevices {
  /** Platforms and the rule-set kind each takes. */
  private static final Map<String, String> PLATFORMS = Map.of("linux-nftables", "nftables", "junos", "junos", "cisco-ios", "cisco-ios");

  /** How long a device waits for the confirm of a commit before it rolls back by itself. */
  private static final int CONFIRM_MINUTES = 5;

  /** The driver for each platform in {@link #PLATFORMS}. */
  public static Map<String, PlatformDriver> drivers() {
    return Map.of("linux-nftables", new LinuxNftablesDriver(), "junos", new JunosDriver(CONFIRM_MINUTES),
        "cisco-ios", new CiscoIosDriver(CONFIRM_MINUTES));
  }

  /** The generator's delta between two inputs, for each platform that renders one. */
  public static Map<String, BiFunction<RuleInput, RuleInput, GenerationResult>> deltas() {
    return Map.of("junos", JunosDelta::between, "cisco-ios", CiscoIosDelta::between);
  }

  /** The rule-set kinds whose inputs are worth remembering for {@link #deltas()}. */
  public static Set<String> deltaTargets() {
    return Set.of("junos", "cisco-ios");
  }

  private final SshDeviceStore store;
  private final DeviceStore devices;
  private final SecretBox secrets;
  private final Clock clock;

  public SshDevices(SshDeviceStore store, DeviceStore devices, SecretBox secrets, Clock clock) {
    this.store = store;
    this.devices = devices;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * @param hostKey the host key to pin, {@code "ALGO BASE64"} as in known_hosts
   * @throws InvalidRequestException naming the bad name, address, platform, host key or key
   */
  public void add(String name, String host, int port, String user, String platform, String hostKey, byte[] privateKey,
      List<String> tags) {
    add(name, host, port, user, platform, hostKey, privateKey, null, tags);
  }

  /**
   * As above, with an SSH password as well as (or instead of) the key.
   *
   * @param privateKey the client's private key, or empty when {@code password} is given
   * @param password the SSH password in UTF-8, or null for none; sealed at rest
   */
  public void add(String name, String host, int port, String user, String platform, String hostKey, byte[] privateKey,
      byte[] password, List<String> tags) {
    HostKeys.parse(hostKey);
    register(name, host, port, user, platform, hostKey, privateKey, password, tags);
  }

  /**
   * Registers a device whose host key is not known yet, only its fingerprint: on first contact the
   * key is accepted only if its SHA-256 fingerprint is {@code fingerprint}, and then pinned.
   *
   * @param fingerprint {@code SHA256:} and 43 base64 characters, as {@code ssh-keygen -l} prints
   * @throws InvalidRequestException naming the bad name, address, platform, fingerprint or key
   */
  public void addToConfirm(String name, String host, int port, String user, String platform, String fingerprint,
      byte[] privateKey, List<String> tags) {
    addToConfirm(name, host, port, user, platform, fingerprint, privateKey, null, tags);
  }

  /** As above, with an SSH password as well as (or instead of) the key; see {@link #add}. */
  public void addToConfirm(String name, String host, int port, String user, String platform, String fingerprint,
      byte[] privateKey, byte[] password, List<String> tags) {
    if (!HostKeys.isFingerprint(fingerprint)) {
      throw new InvalidRequestException("host key fingerprint must be SHA256: and 43 base64 characters, as ssh-keygen -l prints");
    }
    register(name, host, port, user, platform, fingerprint, privateKey, password, tags);
  }

  private void register(String name, String host, int port, String user, String platform, String hostKey, byte[] privateKey,
      byte[] password, List<String> tags) {
    Enrollment.checkDeviceName(name);
    tags.forEach(Scope::checkTag);
    if (host == null || !host.matches("[A-Za-z0-9.:-]{1,255}")) {
      throw new InvalidRequestException("SSH host '" + host + "' is not a host name or address");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidRequestException("SSH port must be 1 to 65535");
    }
    if (user == null || !user.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new InvalidRequestException("SSH user '" + user + "' is not valid");
    }
    String target = PLATFORMS.get(platform);
    if (target == null) {
      throw new InvalidRequestException("platform '" + platform + "' is not supported; use one of "
          + new java.util.TreeSet<>(PLATFORMS.keySet()));
    }
    boolean hasPassword = password != null && password.length > 0;
    if (password != null && !hasPassword) {
      throw new InvalidRequestException("the SSH password is empty");
    }
    if (hasPassword && (password.length > 1024 || new String(password, StandardCharsets.UTF_8).chars().anyMatch(c -> c < 0x20))) {
      throw new InvalidRequestException("the SSH password must be at most 1024 bytes without control characters");
    }
    if (privateKey.length == 0 && !hasPassword) {
      throw new InvalidRequestException("a private key or a password is needed to log in");
    }
    if (privateKey.length > 0) {
      checkPrivateKey(name, privateKey);
    }
    devices.upsertEnrolled(name, target, tags, clock.instant());
    store.put(new SshDeviceStore.SshDevice(name, host, port, user, platform, hostKey.trim(), secrets.seal(privateKey, name),
        hasPassword ? secrets.seal(password, name + "/password") : null));
  }

  private static void checkPrivateKey(String name, byte[] privateKey) {
    try {
      var keys = SecurityUtils.loadKeyPairIdentities(null, () -> "key of " + name, new ByteArrayInputStream(privateKey), null);
      if (keys == null || !keys.iterator().hasNext()) {
        throw new InvalidRequestException("the SSH key file holds no private key");
      }
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new InvalidRequestException("the SSH key file cannot be read (OpenSSH or PEM, without passphrase)");
    }
  }

  /** The device's password, opened, or null when it has none. The caller clears it after use. */
  public static byte[] password(SecretBox secrets, SshDeviceStore.SshDevice device) {
    return device.sealedPassword() == null ? null : secrets.open(device.sealedPassword(), device.name() + "/password");
  }
}
