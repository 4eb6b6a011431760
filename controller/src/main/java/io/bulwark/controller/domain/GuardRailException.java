package io.bulwark.controller.domain;

/** An approval refused because its indicators would block something protected. */
public final class GuardRailException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public GuardRailException(String message) {
    super(message);
  }
}
