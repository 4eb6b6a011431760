package io.bulwark.agent.apply;

import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.agent.host.CommandRunner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Installs the rule files of a Suricata, YARA, RPZ or ClamAV rule set ({@link FileTarget}) into a
 * configured directory, where it owns the regular files whose names start with {@code bulwark}.
 *
 * <p>Each file is first written to {@code .bulwark-staging} in that directory (same file system)
 * and synced; the check command, if configured, runs against the staged files, and a failure there
 * changes nothing. Each file is then renamed over its installed name (atomic per file), files of
 * ours that the new rule set lacks are removed, and the directory is synced. The reload command, if
 * configured, runs last; if it fails, or if reading the files back shows a difference, the previous
 * files are put back and the reload command runs again. A reader of one file never sees it half
 * written; a rule set of several files is replaced file by file, so a reader of the directory may
 * for a moment see old and new files together, which is why the reload command comes after.
 *
 * <p>{@link #kind()} is the target's id ({@code yara}, ...), so bundles for other targets are
 * refused. Not thread-safe: the agent applies one rule set at a time.
 */
public final class FileApplier implements Applier {

  /** The {@code --applier} value that selects this applier. */
  public static final String KIND = "file";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_OUTPUT = 2_000;

  private final FileTarget target;
  private final Path directory;
  private final Optional<FileCommand> check;
  private final Optional<FileCommand> reload;
  private final Duration timeout;
  private final CommandRunner runner;

  /**
   * @param directory where the rule files live; must exist
   * @param workDir where command output is captured (the agent's data dir)
   */
  public FileApplier(
      FileTarget target,
      Path directory,
      Optional<FileCommand> check,
      Optional<FileCommand> reload,
      Path workDir,
      Duration timeout) {
    this.target = Objects.requireNonNull(target, "target");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.check = Objects.requireNonNull(check, "check");
    this.reload = Objects.requireNonNull(reload, "reload");
    this.timeout = timeout;
    this.runner = new CommandRunner(workDir);
  }

  public FileApplier(
      FileTarget target, Path directory, Optional<FileCommand> check, Optional<FileCommand> reload, Path workDir) {
    this(target, directory, check, reload, workDir, DEFAULT_TIMEOUT);
  }

  @Override
  public String kind() {
    return target.id();
  }

  @Override
  public ApplyOutcome apply(String rules) {
    Map<String, String> files;
    try {
      files = target.files(rules);
    } catch (IllegalArgumentException e) {
      return new ApplyOutcome.Failed("refused: " + e.getMessage());
    }
    Map<String, String> previous;
    try {
      previous = installed();
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot read the rule files in " + directory + ": " + e.getMessage());
    }
    Path staging = directory.resolve(".bulwark-staging");
    try {
      stage(staging, files);
      Optional<String> refused = run(check, "check", first(staging, files), staging);
      if (refused.isPresent()) {
        return new ApplyOutcome.Failed(refused.get() + "; nothing was changed");
      }
      install(staging, files);
    } catch (IOException e) {
      return new ApplyOutcome.Failed(putBack(previous, "cannot install the rule files in " + directory + ": " + e.getMessage()));
    } finally {
      removeQuietly(staging);
    }
    Optional<String> reloadFailed = run(reload, "reload", first(directory, files), directory);
    if (reloadFailed.isPresent()) {
      return new ApplyOutcome.Failed(putBack(previous, reloadFailed.get()));
    }
    LiveState live = compare(files);
    if (!(live instanceof LiveState.InSync)) {
      String why = live instanceof LiveState.Drifted d ? d.difference() : ((LiveState.Unknown) live).reason();
      return new ApplyOutcome.Failed(putBack(previous, "read-back differs: " + why));
    }
    long bytes = files.values().stream().mapToLong(c -> c.getBytes(StandardCharsets.UTF_8).length).sum();
    return new ApplyOutcome.Applied(
        target.id() + ": " + files.size() + (files.size() == 1 ? " file" : " files") + " (" + bytes + " bytes) in "
            + directory + (reload.isPresent() ? ", reloaded" : ""));
  }

  /** Our files as they are now, with headers; empty text when there are none. */
  @Override
  public Optional<String> snapshot() {
    try {
      Map<String, String> files = installed();
      return Optional.of(files.isEmpty() ? "" : RuleFiles.join(files));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes the snapshot's files back (no check: they were in place before), then reloads. */
  @Override
  public ApplyOutcome restore(String snapshot) {
    Map<String, String> files;
    try {
      files = snapshot.isEmpty() ? Map.of() : target.files(snapshot);
    } catch (IllegalArgumentException e) {
      return new ApplyOutcome.Failed("cannot restore: " + e.getMessage());
    }
    Path staging = directory.resolve(".bulwark-staging");
    try {
      stage(staging, files);
      install(staging, files);
    } catch (IOException e) {
      return new ApplyOutcome.Failed("cannot restore the rule files in " + directory + ": " + e.getMessage());
    } finally {
      removeQuietly(staging);
    }
    Optional<String> reloadFailed = run(reload, "reload", first(directory, files), directory);
    return reloadFailed.<ApplyOutcome>map(ApplyOutcome.Failed::new)
        .orElseGet(() -> new ApplyOutcome.Applied("restored the previous rule files"));
  }

  /** Reads our files and compares them with the applied ones: names, then sizes, then bytes. */
  @Override
  public LiveState inspect(String appliedRules) {
    try {
      return compare(target.files(appliedRules));
    } catch (IllegalArgumentException e) {
      return new LiveState.Unknown("cannot parse the applied rules: " + e.getMessage());
    }
  }

  private LiveState compare(Map<String, String> files) {
    Map<String, String> live;
    try {
      live = installed();
    } catch (IOException e) {
      return new LiveState.Unknown("cannot read the rule files in " + directory + ": " + e.getMessage());
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      String found = live.get(file.getKey());
      if (found == null) {
        return new LiveState.Drifted(file.getKey() + " is missing from " + directory);
      }
      if (!found.equals(file.getValue())) {
        return new LiveState.Drifted(file.getKey() + " differs from the applied rules ("
            + found.getBytes(StandardCharsets.UTF_8).length + " bytes, "
            + file.getValue().getBytes(StandardCharsets.UTF_8).length + " were applied)");
      }
    }
    for (String name : live.keySet()) {
      if (!files.containsKey(name)) {
        return new LiveState.Drifted(name + " in " + directory + " is not in the applied rules");
      }
    }
    return new LiveState.InSync();
  }

  /** Our regular files in the directory, by name. */
  private Map<String, String> installed() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (FileTarget.isOwnName(name) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          files.put(name, Files.readString(entry, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  private void stage(Path staging, Map<String, String> files) throws IOException {
    removeQuietly(staging);
    Files.createDirectory(staging);
    for (Map.Entry<String, String> file : files.entrySet()) {
      AtomicFiles.write(
          staging.resolve(file.getKey()), file.getValue().getBytes(StandardCharsets.UTF_8), AtomicFiles.WORLD_READABLE);
    }
  }

  private void install(Path staging, Map<String, String> files) throws IOException {
    for (String name : files.keySet()) {
      Files.move(staging.resolve(name), directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    for (String name : new ArrayList<>(installed().keySet())) {
      if (!files.containsKey(name)) {
        Files.delete(directory.resolve(name));
      }
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private String putBack(Map<String, String> previous, String reason) {
    ApplyOutcome restored = restore(previous.isEmpty() ? "" : RuleFiles.join(previous));
    return restored instanceof ApplyOutcome.Failed failed
        ? reason + "; restoring the previous files failed: " + failed.error()
        : reason + "; the previous files were restored";
  }

  /** Runs a configured command; returns why it failed, or empty when it passed or is not set. */
  private Optional<String> run(Optional<FileCommand> command, String what, Path file, Path dir) {
    if (command.isEmpty() || (file == null && command.get().needsFile())) {
      return Optional.empty();
    }
    List<String> words = command.get().expand(file, dir);
    try {
      CommandRunner.Result result = runner.run(words, timeout);
      if (result.succeeded()) {
        return Optional.empty();
      }
      if (result.timedOut()) {
        return Optional.of(what + " command '" + command.get() + "' did not finish within " + timeout.toSeconds() + " s");
      }
      String output = (result.stderr().strip() + "\n" + result.stdout().strip()).strip();
      if (output.length() > MAX_OUTPUT) {
        output = output.substring(0, MAX_OUTPUT) + "...";
      }
      return Optional.of(what + " command '" + command.get() + "' exited with status " + result.exitCode()
          + (output.isEmpty() ? "" : ": " + output));
    } catch (IOException e) {
      return Optional.of("cannot run the " + what + " command '" + command.get() + "': " + e.getMessage());
    }
  }

  private static Path first(Path dir, Map<String, String> files) {
    return files.isEmpty() ? null : dir.resolve(files.keySet().iterator().next());
  }

  private static void removeQuietly(Path staging) {
    if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> entries = Files.list(staging)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        Files.deleteIfExists(entry);
      }
      Files.deleteIfExists(staging);
    } catch (IOException e) {
      // Left for the next apply, which empties it first.
    }
  }
}
