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
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.BuiltinDHFactories;
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
    client.setKeyExchangeFactories(keyExchanges());
    // The pinned key travels with each connection, so it is checked during the key exchange itself;
    // a verifier set on the session after connect could come too late.
    client.setServerKeyVerifier((session, address, key) -> {
      var context = session.getConnectionContext();
      HostKeyCheck check = context == null ? null : context.getAttribute(HOST_KEY_CHECK);
      return check != null && check.test(key);
    });
    client.start();
    return this;
  }

  /**
   * Key exchanges in order of preference. MINA's default puts sntrup761 first, whose key
   * generation (pure Java) costs far more than the rest of a push to a device; ML-KEM hybrids keep
   * the post-quantum protection at a fraction of the cost, then the classic curves that network
   * gear offers. sntrup761 stays, last, for a server that offers nothing else.
   */
  private static List<org.apache.sshd.common.kex.KeyExchangeFactory> keyExchanges() {
    List<BuiltinDHFactories> order = List.of(BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.mlkem768nistp256,
        BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp256,
        BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521, BuiltinDHFactories.dhg16_512,
        BuiltinDHFactories.dhg14_256, BuiltinDHFactories.sntrup761x25519_openssh, BuiltinDHFactories.sntrup761x25519);
    return NamedFactory.setUpTransformedFactories(false, order, ClientBuilder.DH2KEX);
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
    HostKeyCheck check = new HostKeyCheck(target);
    try {
      session = client.connect(target.user(), target.host(), target.port(),
          AttributeRepository.ofKeyValuePair(HOST_KEY_CHECK, check)).verify(connectTimeout).getSession();
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
        if (check.seen != null) {
          String expected = target.hostKey() != null
              ? HostKeys.fingerprint(target.hostKey()) + " is pinned"
              : target.fingerprint().trim() + " was to be confirmed";
          throw new HostKeyMismatchException(target + " presented host key " + check.seen + " but " + expected
              + "; refusing to connect");
        }
        throw new BulwarkException(target + ": authentication failed: " + e.getMessage(), e);
      }
      return new Session(session, target, check.accepted);
    } catch (IOException e) {
      closeQuietly(session);
      throw new BulwarkException(target + ": cannot connect: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static final AttributeRepository.AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeRepository.AttributeKey<>();

  /** The one key a connection may accept: the pinned one, or one with the fingerprint to confirm. */
  private static final class HostKeyCheck {
    private final SshTarget target;
    private volatile PublicKey accepted;
    private volatile String seen;

    HostKeyCheck(SshTarget target) {
      this.target = target;
    }

    boolean test(PublicKey key) {
      boolean ok = target.hostKey() != null
          ? KeyUtils.compareKeys(target.hostKey(), key)
          : HostKeys.fingerprint(key).equals(target.fingerprint().trim());
      if (ok) {
        accepted = key;
      } else {
        seen = HostKeys.fingerprint(key);
      }
      return ok;
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
