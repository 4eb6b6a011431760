package io.bulwark.controller.store;

import io.bulwark.controller.testing.TestDatabases;

/** The object store contract on a fresh embedded H2 database per test. */
class H2StixObjectStoreTest extends StixObjectStoreContract {
  @Override
  Database openDatabase() {
    return TestDatabases.freshH2();
  }
}
