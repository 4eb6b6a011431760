package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.BulwarkException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Runs commands on agentless devices over SSH with Apache MINA SSHD. Every connection checks
 * the server's key against the device's pinned key and refuses anything else. Timeouts bound
 * connect, authentication and each command. Thread-safe; {@link #start()} before use.
 */
public final class SshExecutor implements AutoCloseable {
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private SshClient client;

  public SshExecutor(Duration connectTimeout, Duration commandTimeout) {
    this.connectTimeout = connectTimeout;
    this.commandTimeout = commandTimeout;
  }

  public SshExecutor start() {
    client = SshClient.setUpDefaultClient();
    // The pinned key is checked per session below; this refuses anything that slips past.
    client.setServerKeyVerifier((session, address, key) -> false);
    client.start();
    return this;
  }

  /** What a remote command printed, and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** An open, authenticated session to one device; close it when done. */
  public final class Session implements AutoCloseable {
    private final ClientSession session;
    private final SshTarget target;
    private final PublicKey serverKey;

    private Session(ClientSession session, SshTarget target, PublicKey serverKey) {
      this.session = session;
      this.target = target;
      this.serverKey = serverKey;
    }

    /** The host key the server presented and that was accepted. */
    public PublicKey serverKey() {
      return serverKey;
    }

    /** Runs one command with {@code stdin} as its standard input. */
    public Result run(String command, String stdin) {
      try (ChannelExec exec = session.createExecChannel(command)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exec.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        exec.setOut(out);
        exec.setErr(err);
        exec.open().verify(connectTimeout);
        // Wait for CLOSED, not just EXIT_STATUS: output may still be in flight when the status arrives.
        var events = exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), commandTimeout);
        if (events.contains(ClientChannelEvent.TIMEOUT)) {
          throw new BulwarkException(target + ": '" + command + "' did not finish within " + commandTimeout.toSeconds() + " s");
        }
        Integer status = exec.getExitStatus();
        return new Result(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      } catch (IOException | IllegalStateException e) {
        throw new BulwarkException(target + ": command failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (IOException e) {
        // Closing: nothing more to do.
      }
    }
  }

  /**
   * Connects and authenticates with the target's key.
   *
   * @throws HostKeyMismatchException when the server's key is not the pinned one
   * @throws BulwarkException for any other failure, naming the target and the reason
   */
  public Session open(SshTarget target) {
    ClientSession session = null;
    try {
      session = client.connect(target.user(), target.host(), target.port()).verify(connectTimeout).getSession();
      String[] seen = new String[1];
      PublicKey[] accepted = new PublicKey[1];
      session.setServerKeyVerifier((s, address, key) -> {
        boolean ok = target.hostKey() != null
            ? KeyUtils.compareKeys(target.hostKey(), key)
            : HostKeys.fingerprint(key).equals(target.fingerprint().trim());
        if (ok) {
          accepted[0] = key;
          return true;
        }
        seen[0] = HostKeys.fingerprint(key);
        return false;
      });
      for (KeyPair pair : loadKeys(target)) {
        session.addPublicKeyIdentity(pair);
      }
      byte[] password = target.password();
      if (password != null) {
        session.addPasswordIdentity(new String(password, StandardCharsets.UTF_8));
        Arrays.fill(password, (byte) 0);
      }
      try {
        session.auth().verify(connectTimeout);
      } catch (IOException e) {
        if (seen[0] != null) {
          String expected = target.hostKey() != null
              ? HostKeys.fingerprint(target.hostKey()) + " is pinned"
              : target.fingerprint().trim() + " was to be confirmed";
          throw new HostKeyMismatchException(target + " presented host key " + seen[0] + " but " + expected
              + "; refusing to connect");
        }
        throw new BulwarkException(target + ": authentication failed: " + e.getMessage(), e);
      }
      return new Session(session, target, accepted[0]);
    } catch (IOException e) {
      closeQuietly(session);
      throw new BulwarkException(target + ": cannot connect: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static Iterable<KeyPair> loadKeys(SshTarget target) {
    if (target.privateKey().length == 0) {
      return List.of();
    }
    try {
      var keys = SecurityUtils.loadKeyPairIdentities(null, () -> "key of " + target,
          new ByteArrayInputStream(target.privateKey()), null);
      if (keys == null) {
        throw new BulwarkException("the SSH key for " + target + " holds no key pair");
      }
      return keys;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new BulwarkException("cannot read the SSH key for " + target + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(ClientSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (IOException e) {
        // Already failing; the original error is what matters.
      }
    }
  }

  @Override
  public void close() {
    if (client != null) {
      client.stop();
    }
  }
}
