package io.bulwark.controller.report;

/** The tracking states and chase SLAs on a fresh embedded H2 database per test. */
class H2TrackingStatesTest extends TrackingStatesContract {
  @Override
  protected boolean onPostgres() {
    return false;
  }
}
