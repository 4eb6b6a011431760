package io.bulwark.controller.domain;

/** A caller whose identity or role does not allow the call. */
public final class PermissionDeniedException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }
}
