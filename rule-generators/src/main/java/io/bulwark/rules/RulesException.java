package io.bulwark.rules;

/**
 * Base of the unchecked exceptions thrown by the rule-generators module.
 *
 * <p>Exceptions here signal input that cannot be read at all (a stream that is not a STIX bundle)
 * or a broken installation (two generators claiming one id). Outcomes a caller should expect, such
 * as one bad object in a bundle or a term a target cannot enforce, are returned as values instead.
 */
public class RulesException extends RuntimeException {

  /**
   * Creates an exception with a message meant for an operator.
   *
   * @param message what failed, never null
   */
  public RulesException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message meant for an operator and the failure that caused it.
   *
   * @param message what failed, never null
   * @param cause the underlying failure
   */
  public RulesException(String message, Throwable cause) {
    super(message, cause);
  }
}
