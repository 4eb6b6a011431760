package io.bulwark.controller.store;

import io.bulwark.controller.deliver.StatusSequences;
import org.jdbi.v3.core.Jdbi;

/** {@link StatusSequences} over JDBC: {@code devices.last_sequence}, and {@code report_sequence} with it. */
public final class JdbcStatusSequences implements StatusSequences {
  private final Jdbi jdbi;

  public JdbcStatusSequences(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void reset(String device) {
    jdbi.useHandle(
        h -> h.createUpdate("UPDATE devices SET last_sequence = 0, report_sequence = 0 WHERE name = :d").bind("d", device).execute());
  }
}
