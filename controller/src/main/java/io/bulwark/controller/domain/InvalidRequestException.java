package io.bulwark.controller.domain;

/** A request whose arguments are wrong; the message names the argument. */
public final class InvalidRequestException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
