package io.bulwark.controller.report;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.TestDatabases;

/** The tracking states and chase SLAs on the PostgreSQL server, in a fresh schema per test. */
class PostgresTrackingStatesIT extends TrackingStatesContract {
  private String schema;

  @Override
  Database openDatabase() {
    schema = TestDatabases.newSchemaName();
    return TestDatabases.freshPostgres(schema);
  }

  @Override
  void closeDatabase() {
    super.closeDatabase();
    TestDatabases.dropPostgresSchema(schema);
  }
}
