package io.bulwark.controller.store;

import io.bulwark.controller.testing.TestDatabases;

/** The store contract on a fresh embedded H2 database per test. */
class H2StoreTest extends StoreContract {
  @Override
  Database openDatabase() {
    return TestDatabases.freshH2();
  }
}
