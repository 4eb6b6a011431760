package io.bulwark.controller.report;

/** The tracking states and chase SLAs on the PostgreSQL server, in a fresh schema per test. */
class PostgresTrackingStatesIT extends TrackingStatesContract {
  @Override
  protected boolean onPostgres() {
    return true;
  }
}
