package io.bulwark.agent.config;

import io.bulwark.agent.AgentException;

/**
 * A setting the agent was started with is missing or wrong: the operator has to fix the command
 * line or a file before the agent can run. The command line maps it to exit code 2.
 */
public final class ConfigException extends AgentException {

  public ConfigException(String message) {
    super(message);
  }
}
