package io.bulwark.controller.store;

import java.time.Instant;

/** Conversions between {@link Instant} and the epoch milliseconds the schema stores. */
final class Millis {
  private Millis() {}

  static Long of(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }
}
