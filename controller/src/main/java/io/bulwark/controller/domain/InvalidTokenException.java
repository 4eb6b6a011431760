package io.bulwark.controller.domain;

/** An enrollment token that is unknown, expired, already used or malformed. */
public final class InvalidTokenException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }
}
