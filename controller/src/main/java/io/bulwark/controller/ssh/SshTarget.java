package io.bulwark.controller.ssh;

import java.security.PublicKey;
import java.util.Objects;

/**
 * How to reach one agentless device over SSH. The host key is pinned: a server presenting any
 * other key is refused, there is no trust on first use.
 *
 * @param privateKey the client's private key (OpenSSH or PEM text); never printed
 */
public record SshTarget(String host, int port, String user, byte[] privateKey, PublicKey hostKey) {
  public SshTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    privateKey = privateKey.clone();
    Objects.requireNonNull(hostKey, "hostKey");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SshTarget t && t.host.equals(host) && t.port == port && t.user.equals(user)
        && java.util.Arrays.equals(t.privateKey, privateKey) && t.hostKey.equals(hostKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, user, hostKey);
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
