package io.bulwark.controller.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.domain.StoredIndicator;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.BulkInsert;
import io.bulwark.rules.stix.StixObject;
import io.bulwark.rules.term.IpPrefix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;


/**
 * The incremental correlation index over the tables of {@code V6__correlation.sql}. Each stored
 * indicator version replaces that indicator's rows; relationship objects of type {@code indicates}
 * or {@code based-on} from an indicator add a reference to their target. The work per indicator is
 * proportional to its own keys; lookups go through indexes.
 *
 * <p>As a {@link BundleIngestor.Hook} it runs inside the ingest's transaction, so a bundle that
 * turns out broken leaves no index rows either. Thread-safe.
 */
public final class CorrelationIndex implements BundleIngestor.Hook {
  static final int MAX_KEY = 512;
  /** Relationship types that link their source indicator to their target: what it indicates or rests on. */
  private static final Set<String> LINKING = Set.of("indicates", "based-on", "related-to");
  /** Relationship types that link their target indicator to their source (a course of action). */
  private static final Set<String> LINKED_FROM = Set.of("mitigates", "investigates", "related-to");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SELF = "self";

  private final Jdbi jdbi;

  public CorrelationIndex(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Indexes what the batch stored; first versions have no rows to replace, so none are looked for. */
  @Override
  public void batchDone(BundleIngestor.Batch batch) {
    index(batch.stored(), batch.firstVersions());
  }

  private void index(List<StoredIndicator> stored, Set<String> firstVersions) {
    if (stored.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      List<String> ids = stored.stream().map(StoredIndicator::id).distinct()
          .filter(id -> !firstVersions.contains(id)).toList();
      for (List<String> chunk : io.bulwark.controller.store.Chunks.of(ids)) {
        h.createUpdate("DELETE FROM correlation_keys WHERE origin = 'self' AND indicator_id IN (<ids>)")
            .bindList("ids", chunk).execute();
        h.createUpdate("DELETE FROM correlation_ranges WHERE indicator_id IN (<ids>)").bindList("ids", chunk).execute();
        h.createUpdate("DELETE FROM correlation_docs WHERE indicator_id IN (<ids>)").bindList("ids", chunk).execute();
      }
      BulkInsert keys = keys(h);
      BulkInsert ranges = BulkInsert.into(h, "correlation_ranges", "indicator_id", "family", "first_address",
          "last_address", "prefix");
      BulkInsert docs = BulkInsert.into(h, "correlation_docs", "indicator_id", "name", "search_text", "confidence",
          "reporter", "created");
      Map<String, StoredIndicator> newest = new LinkedHashMap<>();
      stored.forEach(s -> newest.put(s.id(), s));
      for (StoredIndicator s : newest.values()) {
        CorrelationKeys k = CorrelationKeys.of(s);
        for (CorrelationKeys.Key key : k.keys()) {
          addKey(keys, s.id(), SELF, key);
        }
        for (IpPrefix p : k.prefixes()) {
          ranges.add(s.id(), IpRanges.family(p), IpRanges.first(p), IpRanges.last(p), p.toString());
        }
        docs.add(s.id(), k.name(), k.searchText(), k.confidence(), cut(k.reporter(), 200),
            k.created() == null ? null : k.created().toEpochMilli());
      }
      keys.execute();
      ranges.execute();
      docs.execute();
    });
  }

  @Override
  public void otherObject(StixObject object, String ingestSource) {
    if (!"relationship".equals(object.type())) {
      return;
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(object.json());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return;
    }
    String source = json.path("source_ref").asText("");
    String target = json.path("target_ref").asText("");
    String type = json.path("relationship_type").asText("");
    String indicator;
    String other;
    if (LINKING.contains(type) && source.startsWith("indicator--")) {
      indicator = source;
      other = target;
    } else if (LINKED_FROM.contains(type) && target.startsWith("indicator--")) {
      indicator = target;
      other = source;
    } else {
      return;
    }
    if (other.isEmpty() || other.length() > 200 || indicator.length() > 200) {
      return;
    }
    // A revoked relationship links nothing any more: its keys go, none come back.
    boolean revoked = json.path("revoked").asBoolean(false);
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM correlation_keys WHERE indicator_id = ? AND origin = ?")
          .bind(0, indicator).bind(1, object.id()).execute();
      if (!revoked) {
        BulkInsert keys = keys(h);
        addKey(keys, indicator, object.id(), CorrelationKeys.ref(other));
        keys.execute();
      }
    });
  }

  /** The indicators linked to {@code indicatorId}, closest level first, then most shared first. */
  public List<Link> related(String indicatorId) {
    return jdbi.withHandle(h -> {
      Map<String, Acc> byOther = new LinkedHashMap<>();
      // One indexed lookup per own key; a single self-join lets some planners scan the table.
      List<String[]> own = h.createQuery("SELECT kind, key_value, shown FROM correlation_keys WHERE indicator_id = ?")
          .bind(0, indicatorId)
          .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
          .list();
      for (String[] key : own) {
        Level level = CorrelationKeys.Kind.valueOf(key[0].toUpperCase(java.util.Locale.ROOT)).level();
        h.createQuery("SELECT indicator_id FROM correlation_keys WHERE kind = ? AND key_value = ? AND indicator_id <> ?")
            .bind(0, key[0]).bind(1, key[1]).bind(2, indicatorId)
            .mapTo(String.class)
            .forEach(other -> byOther.computeIfAbsent(other, Acc::new).add(level, key[2]));
      }
      for (String[] range : ownRanges(h, indicatorId)) {
        for (String[] other : overlapping(h, range[0], range[1], range[2], range[4])) {
          if (!other[0].equals(indicatorId)) {
            byOther.computeIfAbsent(other[0], Acc::new).add(Level.RELATED_LOW, overlapText(range[3], other[1]));
          }
        }
      }
      List<Link> links = new ArrayList<>();
      byOther.values().forEach(a -> links.add(a.link()));
      links.sort(Comparator.comparing(Link::level)
          .thenComparing(l -> -l.shared().size())
          .thenComparing(Link::indicatorId));
      return links;
    });
  }

  /** Rows {@code family, first, last, prefix, length-as-text} of one indicator's prefixes. */
  private static List<String[]> ownRanges(Handle h, String indicatorId) {
    return h.createQuery("SELECT family, first_address, last_address, prefix FROM correlation_ranges"
            + " WHERE indicator_id = ?")
        .bind(0, indicatorId)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(4)})
        .list();
  }

  /**
   * Rows {@code indicator, prefix} of the stored prefixes that contain the range or lie inside it.
   * Prefixes either nest or are disjoint, so these are all that overlap.
   */
  static List<String[]> overlapping(Handle h, String family, String first, String last, String prefix) {
    IpPrefix p = ((io.bulwark.rules.term.TermParse.Valid<IpPrefix>) IpPrefix.parse(prefix)).term();
    Map<String, String[]> rows = new LinkedHashMap<>();
    h.createQuery("SELECT indicator_id, prefix FROM correlation_ranges"
            + " WHERE family = :f AND first_address IN (<firsts>) AND last_address >= :last")
        .bind("f", family).bindList("firsts", IpRanges.containingFirsts(p)).bind("last", last)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .forEach(r -> rows.put(r[0] + " " + r[1], r));
    h.createQuery("SELECT indicator_id, prefix FROM correlation_ranges WHERE family = :f"
            + " AND first_address >= :first AND first_address <= :last AND last_address <= :last")
        .bind("f", family).bind("first", first).bind("last", last)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .forEach(r -> rows.put(r[0] + " " + r[1], r));
    return new ArrayList<>(rows.values());
  }

  private static String overlapText(String own, String other) {
    return own.equals(other) ? own : own + " ~ " + other;
  }

  private static BulkInsert keys(Handle h) {
    return BulkInsert.into(h, "correlation_keys", "indicator_id", "origin", "kind", "key_value", "shown");
  }

  private static void addKey(BulkInsert batch, String indicatorId, String origin, CorrelationKeys.Key key) {
    batch.add(indicatorId, origin, key.kind().column(), keyValue(key), cut(key.shown(), 8192));
  }

  static String keyValue(CorrelationKeys.Key key) {
    return key.value().length() > MAX_KEY ? "sha256:" + CorrelationKeys.sha256(key.value()) : key.value();
  }

  private static String cut(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  /** What is shared with one other indicator, collected. */
  private static final class Acc {
    private final String id;
    private final List<String> shared = new ArrayList<>();
    private Level best = Level.RELATED_LOW;

    Acc(String id) {
      this.id = id;
    }

    void add(Level level, String what) {
      best = level.compareTo(best) < 0 ? level : best;
      String labelled = level.label() + ": " + what;
      if (!shared.contains(labelled)) {
        shared.add(labelled);
      }
    }

    Link link() {
      shared.sort(Comparator.naturalOrder());
      return new Link(id, best, shared);
    }
  }
}
