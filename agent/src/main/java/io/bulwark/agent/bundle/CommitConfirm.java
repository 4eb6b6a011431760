package io.bulwark.agent.bundle;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit-confirm: new rules stay only if the controller answers through them in time.
 *
 * <p>Before an apply, {@link #prepare} durably records the generation and the rules that were in
 * place ({@code confirm-pending.properties}, and {@code confirm-previous.rules} with its journal);
 * {@link #applying} marks the moment the applier is started ({@code confirm-applying}). After it,
 * {@link #await} asks the controller for a {@code Confirm} carrying a fresh random nonce and waits
 * up to the window for {@link #confirmed}. If the agent dies inside the window, {@link #leftover}
 * finds the record at the next start so the previous rules can be restored before anything else;
 * a record without the mark is from an agent that stopped before it changed anything. A
 * generation that was rolled back is remembered ({@code confirm-rolledback.properties}) so it is
 * not applied again and again; a newer generation clears that.
 *
 * <p>{@link #prepare}, {@link #await} and {@link #settle} run one at a time, on the apply thread or
 * while it waits for them ({@link BeforeApply}); {@link #confirmed} may be called from any thread.
 */
public final class CommitConfirm {

  private static final Logger log = LoggerFactory.getLogger(CommitConfirm.class);

  /** Where confirm requests go: the stream to the controller, now and after each reconnect. */
  public interface Requests {
    /** Asks for a Confirm; called once per apply, must not block. */
    void request(long generation, byte[] nonce);

    /** The request is answered or abandoned; stop resending it. */
    void cancel();
  }

  /**
   * A confirmation that was still awaited when the agent stopped. {@code applyStarted}: the applier
   * had been started ({@link #applying}); when false, the agent stopped before it changed anything.
   */
  public record Pending(long generation, String digest, String previousRules, boolean applyStarted) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path pendingFile;
  private final Path previousFile;
  private final Path rolledBackFile;
  private final Path applyingFile;
  private final Duration window;
  private volatile Waiting waiting;

  private record Waiting(long generation, byte[] nonce, CountDownLatch answered) {}

  /**
   * @param dir the agent's data dir
   * @param window how long to wait for the controller; zero turns commit-confirm off
   */
  public CommitConfirm(Path dir, Duration window) {
    this.pendingFile = dir.resolve("confirm-pending.properties");
    this.previousFile = dir.resolve("confirm-previous.rules");
    this.rolledBackFile = dir.resolve("confirm-rolledback.properties");
    this.applyingFile = dir.resolve("confirm-applying");
    this.window = window;
  }

  public Duration window() {
    return window;
  }

  public boolean enabled() {
    return !window.isZero();
  }

  /** Records, durably, what to restore if {@code generation} is not confirmed. */
  public void prepare(long generation, String digest, String previousRules) throws IOException {
    prepare(generation, digest, previousRules, Optional.empty(), "");
  }

  /**
   * {@link #prepare(long, String, String)} when {@code holding} are the files of an {@link
   * AppliedRulesFile} that hold {@code previousRules}, with SHA-256 {@code previousDigest}, and are
   * only ever replaced whole or appended to: the record links to them instead of writing the rules
   * again (for a million-element table, 17 MB written and synced per apply).
   */
  public void prepare(
      long generation,
      String digest,
      String previousRules,
      Optional<List<Path>> holding,
      String previousDigest)
      throws IOException {
    // A mark left by a stop during finish; the record's write below syncs the directory.
    Files.deleteIfExists(applyingFile);
    List<Path> kept = new AppliedRulesFile(previousFile).files();
    Properties p = new Properties();
    if (holding.isPresent() && Files.isRegularFile(holding.get().get(0))) {
      for (int i = 0; i < kept.size(); i++) {
        if (Files.exists(holding.get().get(i))) {
          AtomicFiles.link(kept.get(i), holding.get().get(i));
        } else {
          Files.deleteIfExists(kept.get(i));
        }
      }
      p.setProperty("previous-digest", previousDigest);
    } else {
      AtomicFiles.write(
          previousFile, previousRules.getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
      Files.deleteIfExists(kept.get(1));
    }
    p.setProperty("generation", Long.toUnsignedString(generation));
    p.setProperty("digest", digest);
    write(pendingFile, p, "generation applied but not yet confirmed by the controller");
  }

  /**
   * Marks that the applier is being started for the prepared generation, after {@link #prepare}
   * returned and before anything changes. The mark is created but not synced: it only tells whether
   * a stop is reported as a rollback (and the generation refused until a newer one), while the
   * previous rules are restored at the next start either way, so a crash of the host that loses it,
   * or a failure to create it, costs no safety.
   */
  public void applying() {
    try {
      Files.createFile(applyingFile);
    } catch (FileAlreadyExistsException e) {
      // Already marked: an apply of the same record started again.
    } catch (IOException e) {
      log.warn("cannot mark the apply as started ({}): a stop before its confirmation will not be"
          + " reported as a rollback", e.toString());
    }
  }

  /**
   * Asks for a confirmation of {@code generation} and waits for it.
   *
   * @return true when the controller answered within the window
   */
  public boolean await(long generation, Requests requests) throws InterruptedException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    Waiting current = new Waiting(generation, nonce, new CountDownLatch(1));
    waiting = current;
    try {
      requests.request(generation, nonce.clone());
      return current.answered().await(window.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      waiting = null;
      requests.cancel();
    }
  }

  /** A Confirm from the controller; ignored unless it answers the request being awaited. */
  public void confirmed(long generation, byte[] nonce) {
    Waiting current = waiting;
    if (current != null
        && current.generation() == generation
        && MessageDigest.isEqual(current.nonce(), nonce)) {
      current.answered().countDown();
    }
  }

  /**
   * The apply is settled (confirmed, failed or rolled back): forget the pending record. A failure to
   * is logged: the record would then roll back at the next start.
   */
  public void settle() {
    try {
      Files.deleteIfExists(pendingFile);
      for (Path kept : new AppliedRulesFile(previousFile).files()) {
        Files.deleteIfExists(kept);
      }
      Files.deleteIfExists(applyingFile);
      // Else a crash could bring the record back, and a confirmed generation would be rolled back.
      AtomicFiles.syncDirectory(pendingFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      log.error("cannot clear the commit-confirm record: {}", e.toString());
    }
  }

  /**
   * Remembers that {@code generation} was rolled back and why. A failure to is logged: the
   * generation could then be applied again.
   */
  public void rememberRollback(long generation, String reason) {
    Properties p = new Properties();
    p.setProperty("generation", Long.toUnsignedString(generation));
    p.setProperty("reason", reason);
    try {
      write(rolledBackFile, p, "generation rolled back by commit-confirm");
    } catch (IOException e) {
      log.error("cannot record the rollback of generation {}: {}", Long.toUnsignedString(generation), e.toString());
    }
  }

  /** Why {@code generation} was rolled back, if it was; a newer generation clears the record. */
  public Optional<String> rolledBackReason(long generation) {
    Properties p = read(rolledBackFile);
    if (p == null) {
      return Optional.empty();
    }
    long stored = parse(rolledBackFile, p.getProperty("generation", ""));
    if (Long.compareUnsigned(generation, stored) > 0) {
      try {
        Files.deleteIfExists(rolledBackFile);
      } catch (IOException e) {
        throw new AgentException("cannot delete " + rolledBackFile + ": " + e.getMessage(), e);
      }
      return Optional.empty();
    }
    return generation == stored
        ? Optional.of(p.getProperty("reason", "rolled back"))
        : Optional.empty();
  }

  /** The confirmation still pending from before a restart, if any. */
  public Optional<Pending> leftover() {
    Properties p = read(pendingFile);
    if (p == null) {
      return Optional.empty();
    }
    long generation = parse(pendingFile, p.getProperty("generation", ""));
    String digest = p.getProperty("digest", "");
    boolean applyStarted = Files.exists(applyingFile);
    String previousDigest = p.getProperty("previous-digest", "");
    try {
      String previous;
      if (!previousDigest.isEmpty()) {
        previous =
            new AppliedRulesFile(previousFile)
                .read(previousDigest)
                .orElseThrow(
                    () ->
                        new AgentException(
                            previousFile + " and its journal no longer hold the rules to restore"));
      } else {
        previous =
            Files.exists(previousFile) ? Files.readString(previousFile, StandardCharsets.UTF_8) : "";
      }
      return Optional.of(new Pending(generation, digest, previous, applyStarted));
    } catch (IOException e) {
      throw new AgentException("cannot read " + previousFile + ": " + e.getMessage(), e);
    }
  }

  private static long parse(Path file, String generation) {
    if (!generation.matches("[0-9]{1,20}")) {
      throw new AgentException(file + " is corrupt: generation '" + generation + "'");
    }
    return Long.parseUnsignedLong(generation);
  }

  private static Properties read(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return p;
  }

  private static void write(Path file, Properties p, String comment) throws IOException {
    StringWriter text = new StringWriter();
    p.store(text, comment);
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY);
  }
}
