package io.bulwark.controller.store;

import io.bulwark.controller.deliver.StatusSequences;
import org.jdbi.v3.core.Jdbi;

/** {@link StatusSequences} over JDBC: one row per device in {@code agent_status_sequences}. */
public final class JdbcStatusSequences implements StatusSequences {
  private final Jdbi jdbi;

  public JdbcStatusSequences(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void reset(String device) {
    jdbi.useHandle(
        h -> h.createUpdate("DELETE FROM agent_status_sequences WHERE device = :d").bind("d", device).execute());
  }
}
