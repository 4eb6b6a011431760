package io.bulwark.controller.bench;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A new, empty schema in a PostgreSQL database for one benchmark run, dropped with everything in
 * it on {@link #close}, so that a benchmark never touches other data there.
 */
final class BenchSchema implements AutoCloseable {
  private final String url;
  private final String name;

  private BenchSchema(String url, String name) {
    this.url = url;
    this.name = name;
  }

  /** Creates {@code PREFIX_<random>} in the database at {@code url} (a jdbc:postgresql: URL). */
  static BenchSchema create(String url, String prefix) throws SQLException {
    if (!prefix.matches("[a-z][a-z_]{0,40}")) {
      throw new IllegalArgumentException("not a schema name prefix: " + prefix);
    }
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return new BenchSchema(url, name);
  }

  String name() {
    return name;
  }

  /** The database's URL with this schema as the connection's current one. */
  String url() {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  @Override
  public void close() throws SQLException {
    try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
