package io.bulwark.controller.ingest;

import io.bulwark.controller.compile.IndicatorTerms;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.CountermeasureStore;
import io.bulwark.controller.domain.IndicatorStore;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.rules.term.Extraction;
import io.bulwark.rules.term.Unenforceable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The indicators as the CSIRT sees them: the newest version of each, with a status. */
public final class IndicatorViews {
  private final IndicatorStore indicators;
  private final CountermeasureStore countermeasures;
  private final IndicatorTerms terms;
  private final AllowlistCheck allowlist;
  private final TlpMarkings markings;
  private final Clock clock;

  /** Views whose TLP comes from {@code markings}. */
  public IndicatorViews(IndicatorStore indicators, CountermeasureStore countermeasures, IndicatorTerms terms,
      TlpMarkings markings, Clock clock) {
    this(indicators, countermeasures, terms, AllowlistCheck.NONE, markings, clock);
  }

  /** Views that also mark the indicators whose terms collide with {@code allowlist}. */
  public IndicatorViews(IndicatorStore indicators, CountermeasureStore countermeasures, IndicatorTerms terms,
      AllowlistCheck allowlist, TlpMarkings markings, Clock clock) {
    this.indicators = indicators;
    this.countermeasures = countermeasures;
    this.terms = terms;
    this.allowlist = allowlist;
    this.markings = markings;
    this.clock = clock;
  }

  /**
   * An indicator and its status: {@code revoked}, {@code expired}, {@code unsupported} (no
   * enforceable term; {@code detail} says why), {@code approved} (in a countermeasure in
   * force) or {@code new}. {@code detail} also lists the parts that cannot be enforced; {@code
   * allowlist} the terms the guard rails would refuse to approve, checked against the guard rails as
   * they are now (the controller's addresses may have changed since ingest).
   */
  public record View(StoredIndicator indicator, String status, String detail, Tlp tlp, List<String> allowlist) {}

  public List<View> list() {
    Instant now = clock.instant();
    Set<String> approved = approved(now);
    List<StoredIndicator> all = indicators.listLatest();
    List<Tlp> marks = markings.ofAll(all.stream().map(StoredIndicator::json).toList());
    List<View> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      out.add(view(all.get(i), approved, now, marks.get(i)));
    }
    return out;
  }

  /** The view of one indicator, if it is stored. */
  public Optional<View> find(String id) {
    Instant now = clock.instant();
    return indicators.findLatest(id).map(i -> view(i, approved(now), now, markings.of(i.json())));
  }

  private Set<String> approved(Instant now) {
    Set<String> approved = new HashSet<>();
    for (Countermeasure c : countermeasures.list()) {
      if (c.isActiveAt(now)) {
        approved.addAll(c.indicatorIds());
      }
    }
    return approved;
  }

  private View view(StoredIndicator i, Set<String> approved, Instant now, Tlp tlp) {
    Extraction e = terms.of(i);
    String detail = e.unenforceable().stream().map(Unenforceable::reason).collect(Collectors.joining("; "));
    String status;
    if (i.revoked()) {
      status = "revoked";
    } else if (i.validUntil() != null && !i.validUntil().isAfter(now)) {
      status = "expired";
    } else if (e.terms().isEmpty()) {
      status = "unsupported";
    } else if (approved.contains(i.id())) {
      status = "approved";
    } else {
      status = "new";
    }
    List<String> hits = e.terms().isEmpty() ? List.of() : allowlist.collisions(i);
    return new View(i, status, detail, tlp, hits);
  }
}
