package io.bulwark.agent.config;

import io.bulwark.agent.apply.Applier;
import java.nio.file.Path;
import java.time.Clock;
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
 */
public record AgentConfig(
    HostPort controller, Path dataDir, Path tokenFile, Applier applier, Clock clock) {

  public AgentConfig {
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(applier, "applier");
    Objects.requireNonNull(clock, "clock");
  }
}
