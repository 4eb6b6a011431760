package io.bulwark.agent.bundle;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The highest bundle generation this agent ever accepted, kept in {@code highwater} so that no
 * restart can talk it into an older bundle.
 *
 * <p>{@link #raise} writes durably (temporary file, fsync, atomic rename, directory fsync) and
 * returns only then; the agent raises the mark before it applies, so a crash mid-apply cannot
 * lower it. Thread-safe, so that it can be raised while a bundle is checked on another thread;
 * it never goes down.
 */
public final class HighWaterMark {

  private final Path file;
  private volatile long value;

  /**
   * Loads the mark; never lower than {@code floor} (the generation already applied).
   *
   * @throws AgentException when the file exists but is corrupt
   */
  public HighWaterMark(Path file, long floor) {
    this.file = file;
    long stored = 0;
    if (Files.exists(file)) {
      try {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.matches("[0-9]{1,20}")) {
          throw new AgentException(file + " is corrupt: '" + text + "' is not a generation");
        }
        stored = Long.parseUnsignedLong(text);
      } catch (IOException | NumberFormatException e) {
        throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    this.value = Long.compareUnsigned(stored, floor) >= 0 ? stored : floor;
  }

  /** The highest generation accepted so far. */
  public long value() {
    return value;
  }

  /** Raises the mark to {@code generation} when it is higher, durably. */
  public synchronized void raise(long generation) throws IOException {
    if (Long.compareUnsigned(generation, value) <= 0) {
      return;
    }
    AtomicFiles.write(
        file,
        (Long.toUnsignedString(generation) + "\n").getBytes(StandardCharsets.US_ASCII),
        AtomicFiles.OWNER_ONLY);
    value = generation;
  }
}
