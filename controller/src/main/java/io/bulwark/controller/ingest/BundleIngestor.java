package io.bulwark.controller.ingest;

import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.StixObjectStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.stix.Indicator;
import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixFormatException;
import io.bulwark.rules.stix.StixObject;
import io.bulwark.rules.stix.StixObjectResult;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a STIX 2.1 or 2.0 bundle object by object and stores each indicator, and each other object,
 * as a new version when it is newer than what is stored, the whole bundle as one unit.
 *
 * <p>Objects are validated by {@link StixBundleReader}, indicators' STIX patterns by the full
 * pattern grammar: a refused object is reported with its id, position and reason and does not stop
 * the others. A valid pattern that names nothing enforceable is stored (it shows as unsupported).
 * When the bundle as a whole turns out broken, which the reader may only see after the objects (see
 * {@link StixBundleReader}), nothing from it is stored. Versions are written in batches of {@link
 * #BATCH} inside one transaction, so memory stays bounded whatever the bundle's size. The bundle is
 * read and validated on a second thread (see {@link ParseAhead}) while the calling thread, the one
 * that holds the transaction and calls the hooks, writes.
 *
 * <p>Thread-safe: each call has its own state.
 */
public final class BundleIngestor {
  /** How many indicator versions are held before they are written. */
  public static final int BATCH = 2000;

  /** The longest name and source an indicator version keeps (the store's columns). */
  static final int MAX_TEXT = 1024;

  private final IndicatorStore indicators;
  private final StixObjectStore objects;
  private final Hook hook;
  private final AllowlistCheck allowlist;
  private final StixBundleReader reader = new StixBundleReader();

  public BundleIngestor(IndicatorStore indicators) {
    this(indicators, Hook.NONE);
  }

  public BundleIngestor(IndicatorStore indicators, Hook hook) {
    this(indicators, hook, AllowlistCheck.NONE);
  }

  /** An ingestor that also marks, in its reports, what it stored that collides with {@code allowlist}. */
  public BundleIngestor(IndicatorStore indicators, Hook hook, AllowlistCheck allowlist) {
    this(indicators, StixObjectStore.DISCARD, hook, allowlist);
  }

  /**
   * An ingestor that keeps the objects other than indicators in {@code objects}, in the same unit
   * as the indicators; the shorter constructors keep only indicators.
   */
  public BundleIngestor(IndicatorStore indicators, StixObjectStore objects, Hook hook, AllowlistCheck allowlist) {
    this.indicators = indicators;
    this.objects = objects;
    this.hook = hook;
    this.allowlist = allowlist;
  }

  /**
   * Told about what an ingest stores, inside its transaction: a failure in a hook undoes the
   * bundle. Implementations must be thread-safe.
   */
  public interface Hook {
    /** Does nothing. */
    Hook NONE = new Hook() {};

    /** Called after each batch with what it stored and what it held besides (see {@link Batch}). */
    default void batchDone(Batch batch) {}

    /**
     * Called with every accepted object that is not an indicator and was stored as new or newer
     * (not with an older or equal version of one stored), in bundle order, with the ingest's source.
     */
    default void otherObject(StixObject object, String source) {}

    /** The hooks in order, as one. */
    static Hook all(Hook... hooks) {
      List<Hook> list = List.of(hooks);
      return new Hook() {
        @Override
        public void batchDone(Batch batch) {
          list.forEach(h -> h.batchDone(batch));
        }

        @Override
        public void otherObject(StixObject object, String source) {
          list.forEach(h -> h.otherObject(object, source));
        }
      };
    }
  }

  /**
   * One batch of indicator versions, as written.
   *
   * @param stored the versions stored, in bundle order
   * @param seen every version the batch held, stored or unchanged
   * @param firstVersions the ids among {@code stored} of which no version was stored before
   * @param source the ingest's source
   */
  public record Batch(List<StoredIndicator> stored, List<StoredIndicator> seen, Set<String> firstVersions,
      String source) {}

  /**
   * A refused object.
   *
   * @param objectId its id when well formed, else empty
   * @param reason where it is in the bundle ({@code objects[i]}) and what is wrong
   */
  public record Rejected(String objectId, String reason) {}

  /**
   * A stored indicator whose terms collide with the allowlist: approving it would be refused.
   *
   * @param collisions one line per colliding term, as {@link AllowlistCheck} gives them
   */
  public record Allowlisted(String indicatorId, List<String> collisions) {}

  /**
   * What one bundle did; {@code allowlisted} are among the stored.
   *
   * @param stored indicator versions stored
   * @param unchanged indicator versions known already at the same or a newer version
   * @param otherObjects accepted objects that are not indicators
   * @param otherStored how many of {@code otherObjects} were stored as new objects or versions
   * @param rejected the first {@link #MAX_LISTED} refused objects, in bundle order
   * @param rejectedCount how many objects were refused in all
   * @param allowlisted the first {@link #MAX_LISTED} stored indicators that collide with the allowlist
   */
  public record Report(int stored, int unchanged, int otherObjects, int otherStored, List<Rejected> rejected,
      int rejectedCount, List<Allowlisted> allowlisted) {}

  /** How many refused objects, and allowlisted indicators, a report lists; a hostile bundle can hold millions. */
  public static final int MAX_LISTED = 1000;

  /** Held versions are written once their JSON passes this many characters, whatever their number. */
  static final int BATCH_CHARS = 16 << 20;

  /**
   * Ingests one bundle.
   *
   * @throws InvalidRequestException when the input is not a STIX bundle at all; nothing from it is
   *     stored then
   */
  public Report ingest(InputStream bundle, String source) {
    // As long as the store keeps a source; feed and file names are far shorter.
    Run run = new Run(source.length() > MAX_TEXT ? source.substring(0, MAX_TEXT) : source);
    try {
      return indicators.inOneUnit(
          () -> {
            ParseAhead.start(reader, bundle).drainTo(run::accept);
            run.flush();
            return run.report();
          });
    } catch (StixFormatException e) {
      throw new InvalidRequestException(
          source + ": not a STIX bundle: " + e.getMessage() + " (nothing from it was stored)");
    }
  }

  /** The state of one ingest. */
  private final class Run {
    private final String source;
    private final List<StoredIndicator> batch = new ArrayList<>(BATCH);
    private final List<StixObjectStore.StoredObject> otherBatch = new ArrayList<>();
    private final List<StixObject> otherAccepted = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final List<Allowlisted> allowlisted = new ArrayList<>();
    private int stored;
    private int unchanged;
    private int others;
    private int othersStored;
    private int rejectedCount;
    private long batchChars;
    private long otherChars;

    Run(String source) {
      this.source = source;
    }

    void accept(StixObjectResult result) {
      if (result instanceof StixObjectResult.Rejected r) {
        String id = r.objectId() == null ? "" : r.objectId();
        rejectedCount++;
        if (rejected.size() < MAX_LISTED) {
          rejected.add(new Rejected(id, "objects[" + r.index() + "]: " + r.reason()));
        }
        return;
      }
      var accepted = (StixObjectResult.Accepted) result;
      if (accepted.indicator().isEmpty()) {
        otherBatch.add(Relationships.stored(accepted.object(), source));
        otherAccepted.add(accepted.object());
        others++;
        otherChars += accepted.object().json().length();
        if (otherBatch.size() >= BATCH || otherChars >= BATCH_CHARS) {
          flushOthers();
        }
        return;
      }
      Indicator i = accepted.indicator().get();
      // A name is for display; the JSON kept with the version holds all of it.
      String name = i.name() != null && i.name().length() > MAX_TEXT ? i.name().substring(0, MAX_TEXT) : i.name();
      batch.add(
          new StoredIndicator(
              i.id(),
              i.modified(),
              name,
              i.pattern(),
              i.patternType(),
              i.validFrom(),
              i.validUntil(),
              i.revoked(),
              source,
              accepted.object().json(),
              i.specVersion().text()));
      batchChars += accepted.object().json().length();
      if (batch.size() >= BATCH || batchChars >= BATCH_CHARS) {
        flush();
      }
    }

    /** Stores the other objects held; the hooks hear of those stored, not of older or equal versions. */
    void flushOthers() {
      List<IndicatorStore.Offer> offers = objects.offerAll(otherBatch);
      for (int i = 0; i < offers.size(); i++) {
        if (offers.get(i).stored()) {
          othersStored++;
          hook.otherObject(otherAccepted.get(i), source);
        }
      }
      otherBatch.clear();
      otherAccepted.clear();
      otherChars = 0;
    }

    void flush() {
      flushOthers();
      List<IndicatorStore.Offer> offers = indicators.offerAll(batch);
      List<StoredIndicator> storedNow = new ArrayList<>(batch.size());
      Set<String> first = new HashSet<>();
      for (int i = 0; i < offers.size(); i++) {
        IndicatorStore.Offer offer = offers.get(i);
        if (offer.stored()) {
          storedNow.add(batch.get(i));
          stored++;
        } else {
          unchanged++;
        }
        if (offer == IndicatorStore.Offer.FIRST) {
          first.add(batch.get(i).id());
        }
      }
      hook.batchDone(new Batch(storedNow, List.copyOf(batch), first, source));
      for (StoredIndicator i : storedNow) {
        List<String> hits = allowlist.collisions(i);
        if (!hits.isEmpty() && allowlisted.size() < MAX_LISTED) {
          allowlisted.add(new Allowlisted(i.id(), List.copyOf(hits)));
        }
      }
      batch.clear();
      batchChars = 0;
    }

    Report report() {
      return new Report(stored, unchanged, others, othersStored, List.copyOf(rejected), rejectedCount,
          List.copyOf(allowlisted));
    }
  }
}
