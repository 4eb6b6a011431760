package io.bulwark.agent.link;

import io.bulwark.agent.AgentException;

/**
 * Enrollment did not produce credentials: the controller refused (the message then carries its
 * description, for example "enrollment refused: token already used"), could not be reached, failed
 * the pin or TLS checks, or answered with something unusable. Nothing secret is in the message.
 */
public final class EnrollmentException extends AgentException {

  public EnrollmentException(String message) {
    super(message);
  }

  public EnrollmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
