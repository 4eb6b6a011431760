package io.bulwark.controller.ingest.taxii;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
              + " cursor_after, last_polled_at, last_error) VALUES (:n, :u, :c, :k, :au, :s, :i, :cur, NULL, '')")
          .bind("n", f.name()).bind("u", f.apiRoot().toString()).bind("c", f.collection()).bind("k", f.auth().kind())
          .bind("au", user).bind("s", secret).bind("i", f.interval().toSeconds()).bind("cur", f.cursor()).execute();
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

  private static Feed read(java.sql.ResultSet rs) throws java.sql.SQLException {
    long polled = rs.getLong("last_polled_at");
    Optional<Instant> at = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(polled));
    return new Feed(rs.getString("name"), URI.create(rs.getString("url")), rs.getString("collection"),
        TaxiiAuth.of(rs.getString("auth_kind"), rs.getString("auth_user"), rs.getString("secret_file")),
        Duration.ofSeconds(rs.getLong("interval_seconds")), rs.getString("cursor_after"), at, rs.getString("last_error"));
  }
}
