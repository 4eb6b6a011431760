package io.bulwark.controller.domain;

import java.util.List;

/** Countermeasures. Thread-safe; each method is one transaction. */
public interface CountermeasureStore {

  /** Stores a new countermeasure; the id of the argument is ignored. Returns it with its id. */
  Countermeasure add(Countermeasure countermeasure);

  /** All countermeasures, oldest first. */
  List<Countermeasure> list();
}
