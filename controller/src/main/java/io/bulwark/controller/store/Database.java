package io.bulwark.controller.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The controller's database: a pooled connection to H2 or PostgreSQL, chosen by JDBC URL, with
 * the schema migrated by Flyway on {@link #start()}. Stores are built on {@link #jdbi()}.
 */
public final class Database implements AutoCloseable {
  private final String url;
  private final String schema;
  private HikariDataSource dataSource;
  private Jdbi jdbi;

  /**
   * @param url a JDBC URL, for example {@code jdbc:h2:file:/var/lib/bulwark/db/bulwark} or
   *     {@code jdbc:postgresql://127.0.0.1:5432/bulwark?user=bulwark}
   * @param schema the schema to use, or null for the connection's default
   */
  public Database(String url, String schema) {
    this.url = url;
    this.schema = schema;
  }

  /**
   * On PostgreSQL, lets the rest of the transaction on {@code h} reuse a generic plan for a
   * statement it runs many times, instead of planning each run anew as {@link #start()} sets every
   * connection to. For transactions whose statements look rows up by key, whose plans do not
   * depend on how large the tables are: a status batch of thousands of row updates by name spent
   * much of its time planning (StatusQueryBench at 10,000 devices, runs with and without this in
   * turn: 15,500-27,300 reports a second with it, 11,000-13,500 without). Nothing on H2.
   */
  static void reuseGenericPlans(org.jdbi.v3.core.Handle h) {
    if (onPostgres(h)) {
      h.execute("SET LOCAL plan_cache_mode = auto");
    }
  }

  /**
   * The device names' order in which every transaction that writes many device rows takes them:
   * that of {@code String.compareTo}, byte order for their ASCII, whatever the database's
   * collation (PostgreSQL's are often a language's, which sets {@code -} and {@code .} aside).
   * Two such transactions then never wait for each other both ways.
   */
  static String nameOrder(org.jdbi.v3.core.Handle h) {
    return onPostgres(h) ? "name COLLATE \"C\"" : "name";
  }

  private static boolean onPostgres(org.jdbi.v3.core.Handle h) {
    try {
      return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
    } catch (java.sql.SQLException e) {
      throw new org.jdbi.v3.core.ConnectionException(e);
    }
  }

  /** Opens the pool and brings the schema to the newest version. */
  public Database start() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("bulwark-db");
    config.setMaximumPoolSize(8);
    if (schema != null) {
      config.setSchema(schema);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      // One multi-row INSERT per batch instead of one statement per row: several times faster for
      // the ingest's batches. Only INSERTs are rewritten; their update counts become "no info",
      // which no caller reads.
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      // Plan each statement for the tables as they are now: a cached generic plan made while a
      // table was small (a scan) stays in use while one long ingest transaction makes it large.
      // Transactions of key lookups only may relax this: reuseGenericPlans.
      config.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
    }
    dataSource = new HikariDataSource(config);
    var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    if (schema != null) {
      flyway.schemas(schema).defaultSchema(schema);
    }
    flyway.load().migrate();
    jdbi = Jdbi.create(dataSource);
    return this;
  }

  public Jdbi jdbi() {
    if (jdbi == null) {
      throw new IllegalStateException("database not started");
    }
    return jdbi;
  }

  @Override
  public void close() {
    if (dataSource != null) {
      dataSource.close();
    }
  }

  /** The embedded default under a data directory. */
  public static String h2FileUrl(java.nio.file.Path dataDir) {
    // The controller closes the database itself on shutdown, after the last write.
    // WRITE_DELAY=0: H2 keeps no redo log, so a commit must reach the file before it returns, or a
    // killed controller forgets what it had stored (and acknowledged) in the last half second.
    return "jdbc:h2:file:" + dataDir.resolve("db").resolve("bulwark").toAbsolutePath()
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }
}
