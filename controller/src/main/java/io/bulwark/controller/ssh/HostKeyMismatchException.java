package io.bulwark.controller.ssh;

import io.bulwark.controller.domain.BulwarkException;

/** A device presented a host key other than the pinned one; nothing was sent to it. */
public final class HostKeyMismatchException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  public HostKeyMismatchException(String message) {
    super(message);
  }
}
