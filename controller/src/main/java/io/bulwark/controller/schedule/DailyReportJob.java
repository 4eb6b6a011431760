package io.bulwark.controller.schedule;

import io.bulwark.controller.domain.AuditLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the compliance report of each day (UTC) into a directory, once. A day's report is due from
 * a configured time of day (midnight by default): each run works out the latest day whose report is
 * due (today once that time has passed, else yesterday), checks whether its files exist and writes
 * the missing ones, so a controller that was down at that time catches up at its next run and
 * nothing is lost to a crash. Files are named after the day they are due on. Each file is written to a temporary
 * file, forced to disk, then renamed into place atomically: a reader sees the whole report or
 * none. Temporary files left by a crash are removed at the next run. Each report written is
 * recorded in the audit log with its SHA-256.
 */
@DisallowConcurrentExecution
public final class DailyReportJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(DailyReportJob.class);
  private static final String PREFIX = "compliance-";
  private static final String TEMP_SUFFIX = ".partial";

  /** Renders one report, built once, in each of the formats: format to file content. */
  @FunctionalInterface
  public interface Renderer {
    Map<String, byte[]> render(List<String> formats);
  }

  private final Path dir;
  private final List<String> formats;
  private final java.time.LocalTime at;
  private final Renderer renderer;
  private final AuditLog audit;
  private final Clock clock;

  /** A job whose reports are due from midnight UTC. */
  public DailyReportJob(Path dir, List<String> formats, Renderer renderer, AuditLog audit, Clock clock) {
    this(dir, formats, java.time.LocalTime.MIDNIGHT, renderer, audit, clock);
  }

  /**
   * A job whose reports are due from {@code at} each day.
   *
   * @param at the time of day (UTC) from which each day's report is due, never null
   */
  public DailyReportJob(Path dir, List<String> formats, java.time.LocalTime at, Renderer renderer, AuditLog audit,
      Clock clock) {
    this.dir = dir;
    this.at = java.util.Objects.requireNonNull(at, "at");
    this.formats = List.copyOf(formats);
    this.renderer = renderer;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      writeIfDue();
    } catch (RuntimeException e) {
      log.error("daily compliance report not written to {}: {}; will try again at the next run", dir, e.toString());
    }
  }

  /** The file the report of {@code day} in {@code format} goes to. */
  public Path fileFor(LocalDate day, String format) {
    return dir.resolve(PREFIX + day + "." + format);
  }

  /**
   * The latest day whose report is due at {@code now}: today from the configured time of day on,
   * yesterday before it.
   */
  public LocalDate dueDay(java.time.Instant now) {
    java.time.LocalDateTime utc = java.time.LocalDateTime.ofInstant(now, ZoneOffset.UTC);
    return utc.toLocalTime().isBefore(at) ? utc.toLocalDate().minusDays(1) : utc.toLocalDate();
  }

  /**
   * Writes the report of the day that is due (see {@link #dueDay}) in the formats not written yet.
   *
   * @return the files written, empty when that day's report was already complete
   * @throws UncheckedIOException naming the file that could not be written
   */
  public List<Path> writeIfDue() {
    LocalDate day = dueDay(clock.instant());
    createPrivateDir();
    removeLeftovers();
    List<String> missing = formats.stream().filter(f -> !Files.exists(fileFor(day, f))).toList();
    if (missing.isEmpty()) {
      return List.of();
    }
    Map<String, byte[]> rendered = renderer.render(missing);
    List<Path> written = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (String format : missing) {
      byte[] content = rendered.get(format);
      if (content == null) {
        throw new IllegalStateException("the report was not rendered as " + format);
      }
      Path file = fileFor(day, format);
      writeAtomically(file, content);
      written.add(file);
      digests.add(file.getFileName() + " sha256:" + sha256(content));
    }
    syncDirectory();
    audit.append("controller", "report.daily", "compliance " + day, String.join(", ", digests));
    log.info("daily compliance report for {} written: {}", day, written);
    return written;
  }

  private void writeAtomically(Path file, byte[] content) {
    Path tmp = dir.resolve("." + file.getFileName() + TEMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The next run removes it.
      }
      throw new UncheckedIOException("cannot write the compliance report " + file + ": " + e.getMessage(), e);
    }
  }

  private void removeLeftovers() {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
        log.warn("removed {}, a compliance report left half-written", p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private void createPrivateDir() {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the report directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Makes the renames durable: without it a crash can lose a rename that already returned. */
  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the files themselves are on disk.
      log.warn("cannot sync the report directory {}: {}", dir, e.toString());
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
