package io.bulwark.agent.host;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's logging: an SLF4J provider that writes one line per event to standard error (the
 * journal, under systemd), with gRPC and Netty at WARN and everything else at the level of the
 * system property {@code bulwark.log.level} (INFO by default; WARN quiets a process that runs
 * many agents, such as the fleet simulator).
 *
 * <p>It stands in for a logging framework, whose classes cost several MB of a daemon's memory and
 * close to a MB of its package. Registered as the provider only in the agent's shaded jar (see the
 * agent's pom), so that other processes with the agent on their classpath keep their own logging.
 */
public final class AgentLogging implements SLF4JServiceProvider {

  /** The level of every logger outside gRPC and Netty, unless the property says otherwise. */
  public static final Level DEFAULT_LEVEL = Level.INFO;

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private volatile ILoggerFactory loggers;

  @Override
  public void initialize() {
    loggers = new Factory(level(System.getProperty("bulwark.log.level")), System.err);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  /** The level a property value names, case-insensitively; the default for null or unknown. */
  static Level level(String name) {
    if (name == null) {
      return DEFAULT_LEVEL;
    }
    try {
      return Level.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return DEFAULT_LEVEL;
    }
  }

  /** One logger per name, all writing to one stream. Thread-safe. */
  static final class Factory implements ILoggerFactory {
    private final Level rootLevel;
    private final PrintStream out;
    private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

    Factory(Level rootLevel, PrintStream out) {
      this.rootLevel = rootLevel;
      this.out = out;
    }

    @Override
    public Logger getLogger(String name) {
      return byName.computeIfAbsent(name, n -> new LineLogger(n, threshold(n), out));
    }

    private Level threshold(String name) {
      boolean transport = name.startsWith("io.grpc") || name.startsWith("io.netty");
      return transport ? Level.WARN : rootLevel;
    }
  }
}
