package io.bulwark.controller.domain;

/**
 * Base of every failure the controller reports on purpose. Messages are written for the person
 * who sees them: they name what was wrong and never carry secrets. Subclasses say what failed;
 * the {@code api} edge maps each one to a gRPC status in one place.
 */
public class BulwarkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BulwarkException(String message) {
    super(message);
  }

  public BulwarkException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure caused by how the command was called; the CLI exits with 2. */
  public static final class Usage extends BulwarkException {
    private static final long serialVersionUID = 1L;

    public Usage(String message) {
      super(message);
    }
  }
}
