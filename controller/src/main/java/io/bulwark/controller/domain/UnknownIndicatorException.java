package io.bulwark.controller.domain;

/** An indicator id that is not stored. */
public final class UnknownIndicatorException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public UnknownIndicatorException(String message) {
    super(message);
  }
}
