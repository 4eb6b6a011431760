package io.bulwark.controller.ssh;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * How to reach one agentless device over SSH. The host key is pinned: a server presenting any
 * other key is refused, there is no trust on first use. Before the key is pinned, a target may
 * instead carry the SHA-256 fingerprint the operator was given: only a key with exactly that
 * fingerprint is accepted, then pinned by the caller.
 *
 * @param privateKey the client's private key (OpenSSH or PEM text), empty when the device takes a
 *     password only; never printed
 * @param hostKey the pinned key, or null when {@code fingerprint} is to be confirmed
 * @param fingerprint {@code SHA256:...} to confirm when {@code hostKey} is null, else null
 * @param password the SSH password in UTF-8, or null for none; never printed
 */
public record SshTarget(String host, int port, String user, byte[] privateKey, PublicKey hostKey, String fingerprint,
    byte[] password) {
  /** A target with a pinned host key and no password. */
  public SshTarget(String host, int port, String user, byte[] privateKey, PublicKey hostKey) {
    this(host, port, user, privateKey, Objects.requireNonNull(hostKey, "hostKey"), null, null);
  }

  /** A target without a password. */
  public SshTarget(String host, int port, String user, byte[] privateKey, PublicKey hostKey, String fingerprint) {
    this(host, port, user, privateKey, hostKey, fingerprint, null);
  }

  public SshTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    privateKey = privateKey.clone();
    password = password == null ? null : password.clone();
    if ((hostKey == null) == (fingerprint == null)) {
      throw new IllegalArgumentException("exactly one of hostKey and fingerprint is needed");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (privateKey.length == 0 && password == null) {
      throw new IllegalArgumentException("a private key or a password is needed");
    }
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public byte[] password() {
    return password == null ? null : password.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SshTarget t && t.host.equals(host) && t.port == port && t.user.equals(user)
        && Arrays.equals(t.privateKey, privateKey) && Objects.equals(t.hostKey, hostKey)
        && Objects.equals(t.fingerprint, fingerprint) && Arrays.equals(t.password, password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, user, hostKey, fingerprint);
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
