package io.bulwark.controller.audit;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.TestDatabases;

class PostgresAuditLogIT extends AuditLogContract {
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
