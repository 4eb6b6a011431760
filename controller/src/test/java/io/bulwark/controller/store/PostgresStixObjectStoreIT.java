package io.bulwark.controller.store;

import io.bulwark.controller.testing.TestDatabases;

/** The object store contract on the PostgreSQL server, in a fresh schema per test. */
class PostgresStixObjectStoreIT extends StixObjectStoreContract {
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
