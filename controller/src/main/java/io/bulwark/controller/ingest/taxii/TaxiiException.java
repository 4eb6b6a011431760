package io.bulwark.controller.ingest.taxii;

import io.bulwark.controller.domain.BulwarkException;

/**
 * A TAXII request that failed. The message names the URL (never credentials) and the HTTP status
 * or what was wrong with the response; {@link #isTransient()} tells whether a retry may help.
 */
public final class TaxiiException extends BulwarkException {
  private static final long serialVersionUID = 1L;
  private final boolean transientFailure;

  public TaxiiException(String message, boolean transientFailure) {
    super(message);
    this.transientFailure = transientFailure;
  }

  public TaxiiException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** True for 5xx, 429 and network failures; false for refusals and malformed answers. */
  public boolean isTransient() {
    return transientFailure;
  }
}
