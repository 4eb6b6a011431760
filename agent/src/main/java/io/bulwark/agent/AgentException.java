package io.bulwark.agent;

/**
 * Base of every exception the agent throws on purpose.
 *
 * <p>Unchecked. The message is written for an operator: it says what failed and, where it helps,
 * what to do. It never contains a secret (enrollment token, private key).
 */
public class AgentException extends RuntimeException {

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
