package io.bulwark.controller.ssh.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A network device simulated on MINA SSHD's server side, on 127.0.0.1 with a generated host key
 * and one authorised user key. Each exec request is one CLI command line; its stdin is what the
 * command reads (the lines of {@code load set terminal}, say). The CLI state of an SSH session
 * (configuration mode, its candidate) lives as long as the session. A test can make it fail,
 * hang on, or drop the connection at the first command or loaded line a predicate matches.
 */
public abstract class SimulatedDevice implements AutoCloseable {
  /** What to do when a fault's trigger matches. */
  public enum FaultKind { FAIL, HANG, DROP }

  private record Fault(FaultKind kind, Predicate<String> trigger) {}

  private final SshServer server;
  private final KeyPair hostKey;
  private final Map<Session, Object> cliStates = new ConcurrentHashMap<>();
  private volatile Fault fault;
  private volatile long promptDelayMillis;
  private volatile ConcurrencyGauge gauge;

  /** Thrown by an interpreter to end a command with an error. */
  public static final class CliError extends Exception {
    public CliError(String message) {
      super(message);
    }
  }

  protected SimulatedDevice(String user, java.security.PublicKey authorised) throws Exception {
    this(user, authorised, null);
  }

  /**
   * @param authorised the user's public key, or null to refuse key logins
   * @param password the user's password, or null to refuse password logins
   */
  protected SimulatedDevice(String user, java.security.PublicKey authorised, String password) throws Exception {
    hostKey = newKeyPair();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator(password == null ? null : (u, p, s) -> u.equals(user) && p.equals(password));
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(authorised == null ? null
        : (u, key, s) -> u.equals(user) && KeyUtils.compareKeys(key, authorised));
    org.apache.sshd.core.CoreModuleProperties.NIO_WORKERS.set(server, 1);
    server.setCommandFactory((channel, line) -> new CliCommand(line));
    server.addSessionListener(new SessionListener() {
      @Override
      public void sessionClosed(Session session) {
        Object state = cliStates.remove(session);
        if (state != null) {
          sessionEnded(state);
        }
      }
    });
    server.start();
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  public int port() {
    return ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
  }

  /** The host key as {@code "ALGO BASE64"}, as in known_hosts. */
  public String hostKeyText() {
    return PublicKeyEntry.toString(hostKey.getPublic());
  }

  public java.security.PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** Every command answers only after {@code delay}, as a slow device CLI does; zero by default. */
  public void promptDelay(java.time.Duration delay) {
    promptDelayMillis = delay.toMillis();
  }

  /** Counts this device's commands in {@code gauge}, which several devices may share. */
  public void countCommands(ConcurrencyGauge gauge) {
    this.gauge = gauge;
  }

  /** From now on, the first command or loaded line {@code trigger} matches gets {@code kind}. */
  public void injectFault(FaultKind kind, Predicate<String> trigger) {
    fault = new Fault(kind, trigger);
  }

  public void clearFault() {
    fault = null;
  }

  /** A new CLI state for a session. */
  protected abstract Object newCliState();

  /** Runs one command line; returns its output or throws {@link CliError}. */
  protected abstract String execute(Object state, String command, List<String> stdin) throws CliError;

  /** The session of {@code state} ended (closed or dropped); releases locks, drops candidates. */
  protected abstract void sessionEnded(Object state);

  /** Applies the fault if {@code line} triggers it; interpreters call this for each loaded line too. */
  protected final void checkFault(String line) throws CliError {
    Fault f = fault;
    if (f == null || !f.trigger().test(line)) {
      return;
    }
    fault = null;
    switch (f.kind()) {
      case FAIL -> throw new CliError("error: simulated failure at '" + line + "'");
      case HANG -> throw new Hang();
      case DROP -> throw new Drop();
    }
  }

  private static final class Hang extends RuntimeException {}

  private static final class Drop extends RuntimeException {}

  private final class CliCommand implements Command {
    private final String line;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    CliCommand(String line) {
      this.line = line.strip();
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
      this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread t = new Thread(() -> run(channel), "sim-cli");
      t.setDaemon(true);
      t.start();
    }

    private void run(ChannelSession channel) {
      Session session = channel.getSession();
      Object state = cliStates.computeIfAbsent(session, s -> newCliState());
      ConcurrencyGauge g = gauge;
      boolean counted = false;
      try {
        if (g != null) {
          g.enter(SimulatedDevice.this);
          counted = true;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        List<String> stdin = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        checkFault(line);
        if (promptDelayMillis > 0) {
          Thread.sleep(promptDelayMillis);
        }
        String output = execute(state, line, stdin);
        out.write(output.getBytes(StandardCharsets.UTF_8));
        out.flush();
        counted = uncount(g, counted);
        exit.onExit(0);
      } catch (CliError e) {
        write(err, e.getMessage() + "\n");
        counted = uncount(g, counted);
        exit.onExit(1);
      } catch (Hang e) {
        // Never answers; the client's command timeout ends it.
      } catch (Drop e) {
        session.close(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        session.close(true);
      } catch (IOException | RuntimeException e) {
        session.close(true);
      } finally {
        uncount(g, counted);
      }
    }

    /** Ends the count before the answer goes out, so the client cannot start its next command first. */
    private boolean uncount(ConcurrencyGauge g, boolean counted) {
      if (counted) {
        g.exit(SimulatedDevice.this);
      }
      return false;
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }

  private static void write(OutputStream s, String text) {
    try {
      s.write(text.getBytes(StandardCharsets.UTF_8));
      s.flush();
    } catch (IOException e) {
      // The client went away.
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
