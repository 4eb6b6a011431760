package io.bulwark.controller.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Indicator versions. Thread-safe; each method is one transaction. */
public interface IndicatorStore {

  /** What happened to an offered version. */
  enum Offer {
    STORED,
    UNCHANGED
  }

  /**
   * Stores the version if it is newer than every stored version of the same id; an older or
   * equal version leaves what is stored untouched.
   */
  Offer offer(StoredIndicator indicator);

  /** The newest version of each indicator, ordered by id. */
  List<StoredIndicator> listLatest();

  Optional<StoredIndicator> findLatest(String id);

  /** The newest versions of the given ids; unknown ids are absent from the result. */
  List<StoredIndicator> findLatest(Collection<String> ids);
}
