package io.bulwark.agent.config;

import io.bulwark.agent.apply.Applier;
import io.bulwark.agent.bundle.DriftCheck;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything an {@code Agent} needs to run, already resolved and validated.
 *
 * @param controller the address the agent dials, for enrollment and for its stream
 * @param dataDir where the key, certificates and applied state live (created with mode 0700)
 * @param tokenFile the enrollment token file; may be null when the data dir already holds an
 *     enrolment, and is ignored in that case
 * @param applier what puts the rules in place
 * @param clock the only source of time
 * @param confirmWindow how long new rules may stay without the controller confirming them through
 *     the new rules; zero turns commit-confirm off
 * @param driftPolicy whether drift is only reported or also corrected
 * @param driftInterval how often the live rules are checked for drift; zero: only at start-up and
 *     after each connect
 */
public record AgentConfig(
    HostPort controller,
    Path dataDir,
    Path tokenFile,
    Applier applier,
    Clock clock,
    Duration confirmWindow,
    DriftCheck.Policy driftPolicy,
    Duration driftInterval) {

  /** The default commit-confirm window. */
  public static final Duration DEFAULT_CONFIRM_WINDOW = Duration.ofSeconds(60);

  /** How often the live rules are compared with those applied, by default. */
  public static final Duration DEFAULT_DRIFT_INTERVAL = Duration.ofSeconds(60);

  /** With the default confirm window. */
  public AgentConfig(
      HostPort controller, Path dataDir, Path tokenFile, Applier applier, Clock clock) {
    this(
        controller,
        dataDir,
        tokenFile,
        applier,
        clock,
        DEFAULT_CONFIRM_WINDOW,
        DriftCheck.Policy.REPORT,
        DEFAULT_DRIFT_INTERVAL);
  }

  public AgentConfig {
    Objects.requireNonNull(confirmWindow, "confirmWindow");
    Objects.requireNonNull(driftPolicy, "driftPolicy");
    Objects.requireNonNull(driftInterval, "driftInterval");
    if (confirmWindow.isNegative()) {
      throw new ConfigException("the confirm window must not be negative");
    }
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(applier, "applier");
    Objects.requireNonNull(clock, "clock");
  }
}
