package io.bulwark.controller.correlate;

import io.bulwark.rules.term.DomainTerm;
import io.bulwark.rules.term.HashTerm;
import io.bulwark.rules.term.IpPrefix;
import io.bulwark.rules.term.TermParse;
import io.bulwark.rules.term.UrlTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Search over the correlation index by one term, as typed (defanged input is accepted): a STIX id
 * finds that indicator and the indicators that reference it, a CVE id the indicators citing it, an
 * IP address or CIDR the indicators whose prefixes contain it or lie inside it, a domain, URL,
 * hash or e-mail address the indicators naming it; anything else is looked for in names and descriptions. Every
 * lookup but the text search goes through an index. Thread-safe.
 */
public final class CorrelationSearch {
  /** At most this many hits are returned. */
  public static final int LIMIT = 500;
  private static final Pattern STIX_ID = Pattern.compile("[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f-]{27}");
  private static final Pattern CVE = Pattern.compile("(?i)cve-\\d{4}-\\d{4,}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private final Jdbi jdbi;

  public CorrelationSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The indicators matching {@code term}, at most {@link #LIMIT}; an empty term finds nothing. */
  public List<Hit> search(String term) {
    String t = Defang.refang(term == null ? "" : term);
    if (t.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> {
      Map<String, String> why = new LinkedHashMap<>();
      if (STIX_ID.matcher(t).matches()) {
        h.createQuery("SELECT indicator_id FROM correlation_docs WHERE indicator_id = ?").bind(0, t)
            .mapTo(String.class).forEach(id -> why.putIfAbsent(id, "STIX id " + t));
        byKey(h, CorrelationKeys.ref(t), "references " + t, why);
      } else if (CVE.matcher(t).matches()) {
        byKey(h, CorrelationKeys.external("cve", t), "cites " + t.toUpperCase(Locale.ROOT), why);
      } else if (IpPrefix.parse(t) instanceof TermParse.Valid<IpPrefix> ip) {
        IpPrefix p = ip.term();
        for (String[] r : CorrelationIndex.overlapping(
            h, IpRanges.family(p), IpRanges.first(p), IpRanges.last(p), p.toString())) {
          why.putIfAbsent(r[0], r[1].equals(p.toString()) ? "names " + r[1]
              : prefixContains(r[1], p) ? r[1] + " contains " + p : r[1] + " lies inside " + p);
        }
      } else if (t.contains("://") && UrlTerm.parse(t) instanceof TermParse.Valid<UrlTerm> url) {
        byKey(h, CorrelationKeys.value("url:" + url.term(), ""), "names " + url.term(), why);
      } else if (HEX.matcher(t).matches() && hashAlgorithm(t.length()) != null) {
        String hex = t.toLowerCase(Locale.ROOT);
        byKey(h, CorrelationKeys.value("hash:" + hashAlgorithm(t.length()).keyword() + ":" + hex, ""),
            "names hash " + hex, why);
      } else if (t.contains("@")
          && io.bulwark.rules.term.EmailTerm.parse(t) instanceof TermParse.Valid<io.bulwark.rules.term.EmailTerm> e) {
        byKey(h, CorrelationKeys.value("email:" + e.term(), ""), "names " + e.term(), why);
      } else if (t.contains(".") && DomainTerm.parse(t) instanceof TermParse.Valid<DomainTerm> d) {
        byKey(h, CorrelationKeys.value("domain:" + d.term().name(), ""), "names " + d.term().name(), why);
      }
      if (why.isEmpty()) {
        byText(h, t, why);
      }
      List<Hit> hits = new ArrayList<>();
      Map<String, String> names = names(h, List.copyOf(why.keySet()));
      why.forEach((id, reason) -> hits.add(new Hit(id, names.getOrDefault(id, ""), reason)));
      return hits;
    });
  }

  private static void byKey(Handle h, CorrelationKeys.Key key, String reason, Map<String, String> why) {
    h.createQuery("SELECT DISTINCT indicator_id FROM correlation_keys WHERE kind = ? AND key_value = ?"
            + " ORDER BY indicator_id")
        .bind(0, key.kind().column()).bind(1, CorrelationIndex.keyValue(key))
        .setMaxRows(LIMIT).mapTo(String.class).forEach(id -> why.putIfAbsent(id, reason));
  }

  private static void byText(Handle h, String t, Map<String, String> why) {
    String needle = t.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    h.createQuery("SELECT indicator_id FROM correlation_docs WHERE search_text LIKE ? ESCAPE '\\'"
            + " ORDER BY indicator_id")
        .bind(0, "%" + needle + "%")
        .setMaxRows(LIMIT).mapTo(String.class).forEach(id -> why.putIfAbsent(id, "text contains '" + t + "'"));
  }

  private static Map<String, String> names(Handle h, List<String> ids) {
    Map<String, String> names = new LinkedHashMap<>();
    if (!ids.isEmpty()) {
      h.createQuery("SELECT indicator_id, name FROM correlation_docs WHERE indicator_id IN (<ids>)")
          .bindList("ids", ids)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> names.put(e.getKey(), e.getValue()));
    }
    return names;
  }

  private static boolean prefixContains(String stored, IpPrefix p) {
    return IpPrefix.parse(stored) instanceof TermParse.Valid<IpPrefix> s && s.term().contains(p);
  }

  private static HashTerm.Algorithm hashAlgorithm(int hexLength) {
    for (HashTerm.Algorithm a : HashTerm.Algorithm.values()) {
      if (a.hexLength() == hexLength) {
        return a;
      }
    }
    return null;
  }
}
