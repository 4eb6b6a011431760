package io.bulwark.controller.testing;

import io.bulwark.controller.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A contract that runs on both databases: each test gets a fresh one, opened before the contract's
 * own set-up and closed after it: an embedded H2 database, or a new schema of the PostgreSQL server
 * (dropped afterwards; without a server the test is skipped, or fails under strict tests).
 */
public abstract class DatabaseContract {
  /** The running test's database. */
  protected Database db;
  private String schema;

  /** True to run on a new PostgreSQL schema, false on embedded H2. */
  protected abstract boolean onPostgres();

  @BeforeEach
  protected final void openFreshDatabase() {
    if (onPostgres()) {
      String name = TestDatabases.newSchemaName();
      TestDatabases.createPostgresSchema(name);
      schema = name;
      db = new Database(TestDatabases.pgUrl(), name).start();
    } else {
      db = TestDatabases.freshH2();
    }
  }

  @AfterEach
  protected final void closeFreshDatabase() {
    if (db != null) {
      db.close();
    }
    if (schema != null) {
      TestDatabases.dropPostgresSchema(schema);
    }
  }
}
