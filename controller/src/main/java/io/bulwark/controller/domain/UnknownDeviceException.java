package io.bulwark.controller.domain;

/** A device name that the controller does not know. */
public final class UnknownDeviceException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public UnknownDeviceException(String message) {
    super(message);
  }
}
