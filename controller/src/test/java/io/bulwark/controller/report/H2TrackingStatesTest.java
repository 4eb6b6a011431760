package io.bulwark.controller.report;

import io.bulwark.controller.store.Database;
import io.bulwark.controller.testing.TestDatabases;

/** The tracking states and chase SLAs on a fresh embedded H2 database per test. */
class H2TrackingStatesTest extends TrackingStatesContract {
  @Override
  Database openDatabase() {
    return TestDatabases.freshH2();
  }
}
