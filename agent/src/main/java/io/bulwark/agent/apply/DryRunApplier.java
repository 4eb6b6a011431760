package io.bulwark.agent.apply;

import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies nothing: writes each rule set to {@code dry-run.nft} in the data dir and reports it as
 * applied. For trying Bulwark on a host whose firewall must not change; the agent says so in its
 * {@code Hello} ({@code applier = "dry-run"}) and in its log on every rule set. Accepts any target.
 * Thread-safe.
 */
public final class DryRunApplier implements Applier {

  public static final String KIND = "dry-run";

  private static final Logger log = LoggerFactory.getLogger(DryRunApplier.class);

  private final Path file;

  public DryRunApplier(Path dataDir) {
    this.file = dataDir.resolve("dry-run.nft");
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public ApplyOutcome apply(String rules) {
    try {
      AtomicFiles.write(file, rules.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
    } catch (IOException e) {
      return new ApplyOutcome.Failed("dry-run: cannot write " + file + ": " + e.getMessage());
    }
    log.info("DRY-RUN: not applied to the host; the rule set is in {}", file);
    return new ApplyOutcome.Applied("dry-run: written to " + file);
  }

  @Override
  public Optional<String> snapshot() {
    try {
      return Optional.of(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public LiveState inspect(String appliedRules) {
    return snapshot()
        .<LiveState>map(
            live ->
                live.equals(appliedRules)
                    ? new LiveState.InSync()
                    : new LiveState.Drifted(file + " differs from the rules applied"))
        .orElseGet(() -> new LiveState.Unknown("cannot read " + file));
  }

  @Override
  public ApplyOutcome restore(String snapshot) {
    return apply(snapshot);
  }
}
