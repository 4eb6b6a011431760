package io.bulwark.controller.domain;

import java.util.List;

/** Device exceptions. Thread-safe. */
public interface ExceptionStore {

  /** Stores a new exception; the id of the argument is ignored. */
  DeviceException add(DeviceException exception);

  /** All exceptions, oldest first, expired ones included (they stay on record). */
  List<DeviceException> list();

  /** A store that holds none and takes none. */
  static ExceptionStore none() {
    return new ExceptionStore() {
      @Override
      public DeviceException add(DeviceException exception) {
        throw new UnsupportedOperationException("this controller keeps no device exceptions");
      }

      @Override
      public List<DeviceException> list() {
        return List.of();
      }
    };
  }
}
