package io.bulwark.controller.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Indicator versions. Thread-safe; each method is one transaction, or part of the enclosing one
 * when called inside {@link #inOneUnit} on the same thread.
 */
public interface IndicatorStore {

  /** What happened to an offered version. */
  enum Offer {
    /** Stored: the first version of its id. */
    FIRST,
    /** Stored: newer than every version of its id stored before. */
    STORED,
    /** Not stored: a version of its id as new or newer is stored. */
    UNCHANGED;

    /** Whether the version was stored ({@link #FIRST} or {@link #STORED}). */
    public boolean stored() {
      return this != UNCHANGED;
    }
  }

  /**
   * Stores the version if it is newer than every stored version of the same id; an older or
   * equal version leaves what is stored untouched.
   */
  Offer offer(StoredIndicator indicator);

  /**
   * Offers versions in order as {@link #offer} would one by one (a version is also compared with
   * the earlier ones in the list), with fewer round trips.
   *
   * @return one outcome per version, in the same order
   */
  List<Offer> offerAll(List<StoredIndicator> versions);

  /**
   * Runs {@code work} on the calling thread as one unit: what it offers through this store is
   * committed together when it returns, and none of it is kept when it throws (the exception
   * propagates). The work must not use the store from other threads.
   */
  <T> T inOneUnit(Supplier<T> work);

  /** The newest version of each indicator, ordered by id. */
  List<StoredIndicator> listLatest();

  Optional<StoredIndicator> findLatest(String id);

  /** The newest versions of the given ids; unknown ids are absent from the result. */
  List<StoredIndicator> findLatest(Collection<String> ids);
}
