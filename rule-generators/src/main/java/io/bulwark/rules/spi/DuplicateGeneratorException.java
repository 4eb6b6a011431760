package io.bulwark.rules.spi;

import io.bulwark.rules.RulesException;

/** Two rule generators claim the same id, so which one renders a device would be a guess. */
public final class DuplicateGeneratorException extends RulesException {

  private static final long serialVersionUID = 1L;

  /**
   * @param id the contested id
   * @param first the class registered first
   * @param second the class that claimed the id again
   */
  public DuplicateGeneratorException(String id, Class<?> first, Class<?> second) {
    super(
        "rule generator id '"
            + id
            + "' is claimed by both "
            + first.getName()
            + " and "
            + second.getName());
  }
}
