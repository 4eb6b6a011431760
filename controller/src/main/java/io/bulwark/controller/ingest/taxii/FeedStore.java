package io.bulwark.controller.ingest.taxii;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.FeedTrust;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code feeds} table. Thread-safe. */
public final class FeedStore {
  private final Jdbi jdbi;

  public FeedStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Adds a feed; false when one of that name exists. */
  public boolean add(Feed f) {
    return jdbi.inTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM feeds WHERE name = :n").bind("n", f.name()).mapTo(Integer.class).one() > 0) {
        return false;
      }
      String user = f.auth() instanceof TaxiiAuth.Basic b ? b.user() : null;
      String secret = f.auth() instanceof TaxiiAuth.Basic b ? b.passwordFile().toString()
          : f.auth() instanceof TaxiiAuth.Bearer t ? t.tokenFile().toString() : null;
      h.createUpdate("INSERT INTO feeds (name, url, collection, auth_kind, auth_user, secret_file, interval_seconds,"
              + " cursor_after, last_polled_at, last_error, trust, default_severity, client_cert, sealed_client_key,"
              + " server_ca) VALUES (:n, :u, :c, :k, :au, :s, :i, :cur, NULL, '', :t, :ds, :cc, :ck, :ca)")
          .bind("n", f.name()).bind("u", f.apiRoot().toString()).bind("c", f.collection()).bind("k", f.auth().kind())
          .bind("au", user).bind("s", secret).bind("i", f.interval().toSeconds()).bind("cur", f.cursor())
          .bind("t", f.trust().label()).bind("ds", f.defaultSeverity().map(Countermeasure.Severity::label).orElse(null))
          .bind("cc", nullIfEmpty(f.tls().clientCertPem())).bind("ck", nullIfEmpty(f.tls().sealedClientKey()))
          .bind("ca", nullIfEmpty(f.tls().serverCaPem())).execute();
      return true;
    });
  }

  public Optional<Feed> find(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM feeds WHERE name = :n").bind("n", name)
        .map((rs, ctx) -> read(rs)).findOne());
  }

  public List<Feed> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM feeds ORDER BY name").map((rs, ctx) -> read(rs)).list());
  }

  /** Sets a feed's trust and default severity (null: none); false when there is no such feed. */
  public boolean setTrust(String name, FeedTrust trust, Countermeasure.Severity severity) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE feeds SET trust = :t, default_severity = :s WHERE name = :n")
        .bind("t", trust.label()).bind("s", severity == null ? null : severity.label()).bind("n", name).execute()) > 0;
  }

  /** Moves the cursor forward (never back) after a page was committed. */
  public void advance(String name, String cursor) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE feeds SET cursor_after = :c WHERE name = :n")
        .bind("c", cursor).bind("n", name).execute());
  }

  /** Records the end of a poll and its error, empty when it succeeded. */
  public void polled(String name, Instant at, String error) {
    String e = error.length() > 2000 ? error.substring(0, 2000) : error;
    jdbi.useHandle(h -> h.createUpdate("UPDATE feeds SET last_polled_at = :a, last_error = :e WHERE name = :n")
        .bind("a", at.toEpochMilli()).bind("e", e).bind("n", name).execute());
  }

  /** The trust of each feed, by its ingest source ({@link Feed#source()}). */
  public Map<String, FeedTrust> trustBySource() {
    Map<String, FeedTrust> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, trust FROM feeds")
        .map((rs, ctx) -> Map.entry(Feed.SOURCE_PREFIX + rs.getString(1), FeedTrust.parse(rs.getString(2))))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  /** The default severity of each feed that has one, by its ingest source ({@link Feed#source()}). */
  public Map<String, Countermeasure.Severity> severityBySource() {
    Map<String, Countermeasure.Severity> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT name, default_severity FROM feeds WHERE default_severity IS NOT NULL")
        .map((rs, ctx) -> Map.entry(Feed.SOURCE_PREFIX + rs.getString(1), Countermeasure.Severity.parse(rs.getString(2))))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }

  private static Feed read(java.sql.ResultSet rs) throws java.sql.SQLException {
    long polled = rs.getLong("last_polled_at");
    Optional<Instant> at = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(polled));
    String severity = rs.getString("default_severity");
    return new Feed(rs.getString("name"), URI.create(rs.getString("url")), rs.getString("collection"),
        TaxiiAuth.of(rs.getString("auth_kind"), rs.getString("auth_user"), rs.getString("secret_file")),
        Duration.ofSeconds(rs.getLong("interval_seconds")), rs.getString("cursor_after"), at, rs.getString("last_error"),
        FeedTrust.parse(rs.getString("trust")),
        severity == null ? Optional.empty() : Optional.of(Countermeasure.Severity.parse(severity)),
        new FeedTls(rs.getString("client_cert"), rs.getString("sealed_client_key"), rs.getString("server_ca")));
  }

  private static String nullIfEmpty(String s) {
    return s.isEmpty() ? null : s;
  }
}
