package io.bulwark.controller.ssh;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Objects;

/**
 * How to reach one agentless device over SSH. The host key is pinned: a server presenting any
 * other key is refused, there is no trust on first use.
 *
 * @param keyFile the client's private key (OpenSSH or PEM format)
 */
public record SshTarget(String host, int port, String user, Path keyFile, PublicKey hostKey) {
  public SshTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(hostKey, "hostKey");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
