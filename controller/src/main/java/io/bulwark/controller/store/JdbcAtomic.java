package io.bulwark.controller.store;

import io.bulwark.controller.domain.Atomic;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link Atomic} over one {@link Jdbi}: the stores built on the same Jdbi open their handles and
 * transactions through it, and on the thread of an open transaction Jdbi hands them that handle, so
 * their work joins the transaction.
 */
public final class JdbcAtomic implements Atomic {
  private final Jdbi jdbi;

  public JdbcAtomic(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public <T> T inOne(Supplier<T> work) {
    return jdbi.inTransaction(h -> work.get());
  }
}
