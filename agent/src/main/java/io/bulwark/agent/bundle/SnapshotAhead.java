package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the rules in place (the applier's snapshot, kept by commit-confirm) on a thread of its own
 * while the bundle is still being verified: for an nftables table of up to {@link
 * io.bulwark.agent.apply.NftablesApplier#FULL_COMPARE_LIMIT} elements that is an {@code nft}
 * listing of some milliseconds, which would otherwise follow the check (larger tables are not
 * listed). Nothing changes the rules in place meanwhile, as only the apply thread does, and it is
 * busy verifying.
 * One daemon thread per process serves every agent in it. Thread-safe.
 */
final class SnapshotAhead {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SnapshotAhead.class);
  private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bulwark-snapshot");
    t.setDaemon(true);
    return t;
  });

  private SnapshotAhead() {}

  /** {@code applier}'s snapshot, read now on the reader thread. */
  static CompletableFuture<Optional<String>> start(Applier applier) {
    return CompletableFuture.supplyAsync(applier::snapshot, READER);
  }

  /**
   * The snapshot once read; empty, as when the applier cannot read the rules, if reading broke or
   * the waiting thread is interrupted (the agent is stopping) meanwhile.
   */
  static Optional<String> await(CompletableFuture<Optional<String>> snapshot) {
    try {
      return snapshot.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      log.error("reading the rules in place broke: {}", e.getCause().toString());
      return Optional.empty();
    }
  }
}
