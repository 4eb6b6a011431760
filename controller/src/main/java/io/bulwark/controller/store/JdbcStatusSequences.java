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
  public long last(String device) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT last_sequence FROM agent_status_sequences WHERE device = :d")
                .bind("d", device)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  @Override
  public void advance(String device, long sequence) {
    jdbi.useTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "UPDATE agent_status_sequences SET last_sequence = GREATEST(last_sequence, :s) WHERE device = :d")
                  .bind("s", sequence)
                  .bind("d", device)
                  .execute();
          if (updated == 0) {
            h.createUpdate("INSERT INTO agent_status_sequences (device, last_sequence) VALUES (:d, :s)")
                .bind("d", device)
                .bind("s", sequence)
                .execute();
          }
        });
  }

  @Override
  public void reset(String device) {
    jdbi.useHandle(
        h -> h.createUpdate("DELETE FROM agent_status_sequences WHERE device = :d").bind("d", device).execute());
  }
}
