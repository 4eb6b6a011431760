package io.bulwark.controller.audit;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.TestDatabases;

class H2AuditLogTest extends AuditLogContract {
  @Override
  Database openDatabase() {
    return TestDatabases.freshH2();
  }
}
