package io.bulwark.controller.domain;

import java.util.List;
import java.util.Optional;

/** Agentless devices reached over SSH. Thread-safe. */
public interface SshDeviceStore {

  /**
   * An agentless device.
   *
   * @param hostKey the pinned host key, {@code "ALGO BASE64"}, or the {@code SHA256:...}
   *     fingerprint a key must have on first contact to be pinned
   * @param sealedKey the client's private key, sealed at rest (empty when it logs in by password
   *     only); never shown
   * @param sealedPassword the SSH password, sealed at rest, or null for none; never shown
   */
  record SshDevice(String name, String host, int port, String user, String platform, String hostKey, String sealedKey,
      String sealedPassword) {
    /** A device without a password. */
    public SshDevice(String name, String host, int port, String user, String platform, String hostKey, String sealedKey) {
      this(name, host, port, user, platform, hostKey, sealedKey, null);
    }

    /** The same device with {@code hostKey} pinned. */
    public SshDevice withHostKey(String pinned) {
      return new SshDevice(name, host, port, user, platform, pinned, sealedKey, sealedPassword);
    }

    @Override
    public String toString() {
      return "SshDevice[" + name + " " + user + "@" + host + ":" + port + " " + platform + "]";
    }
  }

  /** Adds the device, or replaces how it is reached. */
  void put(SshDevice device);

  Optional<SshDevice> find(String name);

  List<SshDevice> list();
}
