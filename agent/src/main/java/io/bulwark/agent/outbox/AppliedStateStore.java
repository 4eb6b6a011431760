package io.bulwark.agent.outbox;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Keeps the {@link AppliedState} across restarts in {@code state.properties}, so the agent's first
 * {@code Hello} after a restart tells the controller what is really in place.
 *
 * <p>Saves replace the file atomically (temporary file, fsync, rename): after a crash the file
 * holds the previous or the new state, never a torn one. Callers save only after an apply was
 * verified. Not thread-safe; the agent saves from its single apply thread.
 */
public final class AppliedStateStore {

  private static final String GENERATION = "applied_generation";
  private static final String DIGEST = "applied_digest";

  private final Path file;

  public AppliedStateStore(Path file) {
    this.file = file;
  }

  /**
   * The saved state, or {@link AppliedState#NONE} when nothing was saved yet.
   *
   * @throws AgentException naming the file when it exists but cannot be used
   */
  public AppliedState load() {
    if (!Files.exists(file)) {
      return AppliedState.NONE;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String generation = properties.getProperty(GENERATION, "").trim();
    String digest = properties.getProperty(DIGEST, "").trim();
    if (!generation.matches("[0-9]{1,20}") || !digest.matches("[0-9a-f]{64}|")) {
      throw new AgentException(
          file
              + " is corrupt ("
              + GENERATION
              + "='"
              + generation
              + "', "
              + DIGEST
              + "='"
              + digest
              + "'); delete it to report nothing applied");
    }
    try {
      return new AppliedState(Long.parseUnsignedLong(generation), digest);
    } catch (NumberFormatException e) {
      throw new AgentException(file + ": " + GENERATION + " is out of range", e);
    }
  }

  /** Saves {@code state} durably. */
  public void save(AppliedState state) throws IOException {
    Properties properties = new Properties();
    properties.setProperty(GENERATION, Long.toUnsignedString(state.generation()));
    properties.setProperty(DIGEST, state.digest());
    StringWriter text = new StringWriter();
    properties.store(text, "what bulwark agent last applied and verified");
    AtomicFiles.write(
        file, text.toString().getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
  }
}
