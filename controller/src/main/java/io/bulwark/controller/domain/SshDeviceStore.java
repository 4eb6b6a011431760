package io.bulwark.controller.domain;

import java.util.List;
import java.util.Optional;

/** Agentless devices reached over SSH. Thread-safe. */
public interface SshDeviceStore {

  /**
   * An agentless device.
   *
   * @param hostKey the pinned host key, {@code "ALGO BASE64"}
   * @param sealedKey the client's private key, sealed at rest; never shown
   */
  record SshDevice(String name, String host, int port, String user, String platform, String hostKey, String sealedKey) {
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
