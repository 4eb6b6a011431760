package io.bulwark.agent.outbox;

import io.bulwark.agent.AgentException;
import io.bulwark.agent.bundle.ApplyReport;
import io.bulwark.agent.host.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status reports that the controller has not acknowledged yet, kept on disk so that no report is
 * lost to a crash, a restart or a broken stream.
 *
 * <p>Each report gets the next sequence number and is written to its own file {@code
 * outbox/<sequence>.report} (temporary file, fsync, atomic rename, directory fsync) before it is
 * sent; the last sequence used is kept in {@code outbox/sequence} the same way, so numbers keep
 * rising across restarts even when the outbox is empty. {@link #acknowledge} deletes every report
 * up to the acknowledged sequence. At most {@link #MAX_REPORTS} are kept; beyond that the oldest
 * is dropped with a warning. Thread-safe.
 */
public final class StatusOutbox {

  /** A report and its sequence number. */
  public record Entry(long sequence, ApplyReport report) {}

  static final int MAX_REPORTS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(StatusOutbox.class);
  private static final String SUFFIX = ".report";

  private final Path dir;
  private final Path sequenceFile;
  private final int maxReports;
  private long lastSequence;
  /**
   * The report files by sequence, kept as they are written and deleted so that no report needs a
   * listing of the directory; read from it again by {@link #pending}.
   */
  private TreeMap<Long, Path> stored = new TreeMap<>();

  /**
   * Opens (creating it if needed) the outbox in {@code dir}.
   *
   * @throws AgentException when it cannot be created or read
   */
  public StatusOutbox(Path dir) {
    this(dir, MAX_REPORTS);
  }

  /** As above, keeping at most {@code maxReports}. */
  StatusOutbox(Path dir, int maxReports) {
    this.dir = dir;
    this.maxReports = maxReports;
    this.sequenceFile = dir.resolve("sequence");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      long last = 0;
      if (Files.exists(sequenceFile)) {
        last = parseSequence(Files.readString(sequenceFile, StandardCharsets.US_ASCII).strip());
      }
      for (Entry entry : pending()) {
        last = Math.max(last, entry.sequence());
      }
      lastSequence = last;
    } catch (IOException e) {
      throw new AgentException("cannot open the status outbox " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Numbers the reports of the outbox in {@code dir} from {@code first} on at least (creating it if
   * needed), durably; numbers already used above it stay.
   */
  public static void numberFrom(Path dir, long first) throws IOException {
    StatusOutbox outbox = new StatusOutbox(dir);
    if (first - 1 > outbox.lastSequence) {
      outbox.writeSequence(first - 1);
    }
  }

  /** Keeps {@code sequence} as the last one used, durably. */
  private void writeSequence(long sequence) throws IOException {
    AtomicFiles.write(sequenceFile, (sequence + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
  }

  /** The last sequence used or reserved ({@link #numberFrom}); 0 on a fresh outbox. */
  public synchronized long lastSequence() {
    return lastSequence;
  }

  /** Gives {@code report} the next sequence number and stores it durably. */
  public synchronized Entry append(ApplyReport report) throws IOException {
    long sequence = lastSequence + 1;
    writeSequence(sequence);
    lastSequence = sequence;
    Path file = file(sequence);
    // Known before it is written: should the write fail after its rename, the file is still deleted.
    stored.put(sequence, file);
    AtomicFiles.write(file, encode(sequence, report), AtomicFiles.OWNER_ONLY);
    while (stored.size() > maxReports) {
      Path oldest = stored.firstEntry().getValue();
      log.warn("status outbox full: dropping the unsent report {}", oldest.getFileName());
      Files.deleteIfExists(oldest);
      stored.pollFirstEntry();
    }
    return new Entry(sequence, report);
  }

  /** Every report not yet acknowledged, oldest first. */
  public synchronized List<Entry> pending() throws IOException {
    TreeMap<Long, Entry> entries = new TreeMap<>();
    TreeMap<Long, Path> found = new TreeMap<>();
    for (Path file : files()) {
      try {
        Entry entry = decode(file);
        if (found.containsKey(entry.sequence())) {
          log.warn("status outbox: {} repeats sequence {}; setting it aside", file.getFileName(), entry.sequence());
          Files.move(file, file.resolveSibling(file.getFileName() + ".duplicate"), StandardCopyOption.REPLACE_EXISTING);
          continue;
        }
        entries.put(entry.sequence(), entry);
        found.put(entry.sequence(), file);
      } catch (AgentException e) {
        // One bad file must not hold back every later report.
        log.warn("{}; setting it aside", e.getMessage());
        Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    stored = found;
    return new ArrayList<>(entries.values());
  }

  /** The controller has every report up to and including {@code sequence}: forget them. */
  public synchronized void acknowledge(long sequence) throws IOException {
    while (!stored.isEmpty() && stored.firstKey() <= sequence) {
      Files.deleteIfExists(stored.firstEntry().getValue());
      stored.pollFirstEntry();
    }
  }

  /** {@code outbox/<sequence>.report}, the sequence in 19 digits so that names sort as numbers. */
  private Path file(long sequence) {
    String digits = Long.toString(sequence);
    return dir.resolve("0".repeat(Math.max(0, 19 - digits.length())) + digits + SUFFIX);
  }

  private List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      stream.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  private static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    return parseSequence(name.substring(0, name.length() - SUFFIX.length()));
  }

  private static long parseSequence(String text) {
    if (!text.matches("[0-9]{1,19}")) {
      throw new AgentException("status outbox: '" + text + "' is not a sequence number");
    }
    return Long.parseLong(text);
  }

  private static byte[] encode(long sequence, ApplyReport report) throws IOException {
    Properties p = new Properties();
    p.setProperty("sequence", Long.toString(sequence));
    p.setProperty("generation", Long.toUnsignedString(report.generation()));
    p.setProperty("phase", report.phase().name());
    p.setProperty("digest", report.digest());
    p.setProperty("error", report.error());
    p.setProperty("at_millis", Long.toString(report.atMillis()));
    StringWriter text = new StringWriter();
    p.store(text, "status report not yet acknowledged by the controller");
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Entry decode(Path file) throws IOException {
    Properties p = new Properties();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new AgentException("status outbox: " + file + " is corrupt: not UTF-8", e);
    }
    try (Reader reader = new StringReader(text)) {
      p.load(reader);
      return new Entry(
          sequenceOf(file),
          new ApplyReport(
              Long.parseUnsignedLong(p.getProperty("generation", "")),
              ApplyReport.Phase.valueOf(p.getProperty("phase", "")),
              p.getProperty("digest", ""),
              p.getProperty("error", ""),
              Long.parseLong(p.getProperty("at_millis", ""))));
    } catch (IllegalArgumentException e) {
      throw new AgentException("status outbox: " + file + " is corrupt: " + e.getMessage(), e);
    }
  }
}
