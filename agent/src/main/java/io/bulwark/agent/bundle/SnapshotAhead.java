package io.bulwark.agent.bundle;

import io.bulwark.agent.apply.Applier;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the rules in place (the applier's snapshot, kept by commit-confirm) on a thread of its own
 * while the bundle is still being verified: for nftables that is an {@code nft} run of 7-9 ms,
 * which would otherwise follow the 30-40 ms of rebuilding and hashing a large rule set. Nothing
 * changes the rules in place meanwhile, as only the apply thread does, and it is busy verifying.
 * One daemon thread per process serves every agent in it. Thread-safe.
 */
final class SnapshotAhead {
  private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bulwark-snapshot");
    t.setDaemon(true);
    return t;
  });

  private SnapshotAhead() {}

  /** {@code applier}'s snapshot, read now on the reader thread; empty if reading it broke. */
  static CompletableFuture<Optional<String>> start(Applier applier) {
    return CompletableFuture.supplyAsync(applier::snapshot, READER).exceptionally(e -> Optional.empty());
  }
}
