package io.bulwark.controller.testing;

import io.bulwark.controller.store.Database;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for store tests: an H2 in-memory database, or a new schema in the
 * PostgreSQL server named by {@code BULWARK_TEST_PG_URL} (default: the local server). Without
 * a reachable server the PostgreSQL tests are skipped with the reason, unless
 * {@code BULWARK_STRICT_TESTS} is set (as in CI), where they fail.
 */
public final class TestDatabases {
  public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestDatabases() {}

  public static Database freshH2() {
    return new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null).start();
  }

  /** A new schema in PostgreSQL; {@link #dropPostgresSchema} removes it. */
  public static Database freshPostgres(String schema) {
    createPostgresSchema(schema);
    return new Database(pgUrl(), schema).start();
  }

  /** Creates an empty schema in PostgreSQL, or skips the test (fails it under strict tests) without a server. */
  public static void createPostgresSchema(String schema) {
    String url = pgUrl();
    try (var c = DriverManager.getConnection(url); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      StrictTests.skipOrFail("PostgreSQL is not reachable at " + url + ": " + e.getMessage());
    }
  }

  public static void dropPostgresSchema(String schema) {
    try (var c = DriverManager.getConnection(pgUrl()); var s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      Assumptions.abort("PostgreSQL not reachable: " + e.getMessage());
    }
  }

  public static String newSchemaName() {
    return "bulwark_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** The PostgreSQL server tests use: {@code BULWARK_TEST_PG_URL}, else the local one. */
  public static String pgUrl() {
    String url = System.getenv("BULWARK_TEST_PG_URL");
    return url == null || url.isBlank() ? DEFAULT_PG_URL : url;
  }
}
