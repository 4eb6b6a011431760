package io.bulwark.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.controller.audit.AuditChain;
import io.bulwark.controller.domain.AuditEntry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An audit archive file: JSON lines, first a header naming the hash the entries follow, then one
 * line per entry with every field its hash covers, then a trailer with the last entry's sequence
 * and hash and the count. The chain inside is checked as it is written and again when it is read
 * back, with the controller's own hash rule ({@link AuditChain}). Written to a temporary file in
 * the same directory, synced and renamed: a file under the final name is always whole.
 */
final class AuditArchiveFile {
  static final String FORMAT = "bulwark-audit-archive-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditArchiveFile() {}

  /** What a whole, internally chained archive holds. */
  record Summary(long first, long through, String previousHash, String lastHash, long entries) {}

  /** A chain that does not hold, named at the entry where it shows. */
  static final class BrokenException extends Exception {
    private static final long serialVersionUID = 1L;

    BrokenException(String message) {
      super(message);
    }
  }

  /** Writes entries in order, checking that each follows the one before. Not thread-safe. */
  static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private final FileOutputStream out;
    private final BufferedWriter text;
    private final String previousHash;
    private long first;
    private long expected;
    private String last;
    private long entries;
    private boolean done;

    /** Starts {@code target}, which must not exist, for entries that follow {@code (after, previousHash)}. */
    Writer(Path target, long after, String previousHash) throws IOException {
      this.target = target;
      this.partial = target.resolveSibling("." + target.getFileName() + ".partial");
      // Only its owner reads it, as the controller's data directory: entries name devices, users and reasons.
      Files.deleteIfExists(partial);
      Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      this.out = new FileOutputStream(partial.toFile());
      this.text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      this.previousHash = previousHash;
      this.expected = after + 1;
      this.last = previousHash;
      ObjectNode header = JSON.createObjectNode().put("format", FORMAT).put("first", after + 1)
          .put("previous_hash", previousHash);
      line(header);
    }

    void add(AuditEntry e) throws IOException, BrokenException {
      check(e, expected, last);
      if (entries == 0) {
        first = e.sequence();
      }
      line(JSON.createObjectNode().put("sequence", e.sequence()).put("at", e.at().toEpochMilli())
          .put("actor", e.actor()).put("action", e.action()).put("subject", e.subject()).put("details", e.details())
          .put("previous_hash", e.previousHash()).put("hash", e.hash()));
      last = e.hash();
      expected++;
      entries++;
    }

    long entries() {
      return entries;
    }

    /** Ends the file, syncs it and gives it its name; what it holds. */
    Summary finish() throws IOException {
      line(JSON.createObjectNode().put("through", expected - 1).put("hash", last).put("entries", entries));
      text.flush();
      out.getFD().sync();
      text.close();
      // A link, unlike a rename, never replaces a file already under that name.
      Files.createLink(target, partial);
      Files.delete(partial);
      try (FileChannel dir = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
      done = true;
      return new Summary(first, expected - 1, previousHash, last, entries);
    }

    private void line(JsonNode node) throws IOException {
      text.write(JSON.writeValueAsString(node));
      text.write('\n');
    }

    /** Without {@link #finish}: the partial file goes. */
    @Override
    public void close() throws IOException {
      if (!done) {
        text.close();
        Files.deleteIfExists(partial);
      }
    }
  }

  /** Reads {@code file} back and checks its chain from its header to its trailer. */
  static Summary read(Path file) throws IOException, BrokenException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      JsonNode header = line == null ? null : JSON.readTree(line);
      if (header == null || !FORMAT.equals(header.path("format").asText())) {
        throw new BrokenException(file + " is not an audit archive (no " + FORMAT + " header)");
      }
      long first = header.path("first").asLong();
      String previous = header.path("previous_hash").asText();
      long expected = first;
      String last = previous;
      long entries = 0;
      for (line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode n = JSON.readTree(line);
        if (n.has("through")) {
          if (n.path("through").asLong() != expected - 1 || !n.path("hash").asText().equals(last)
              || n.path("entries").asLong() != entries || in.readLine() != null) {
            throw new BrokenException(file + ": the trailer does not match the entries before it");
          }
          return new Summary(first, expected - 1, previous, last, entries);
        }
        AuditEntry e = new AuditEntry(n.path("sequence").asLong(), Instant.ofEpochMilli(n.path("at").asLong()),
            n.path("actor").asText(), n.path("action").asText(), n.path("subject").asText(), n.path("details").asText(),
            n.path("previous_hash").asText(), n.path("hash").asText());
        check(e, expected, last);
        last = e.hash();
        expected++;
        entries++;
      }
      throw new BrokenException(file + " ends before its trailer (cut short)");
    }
  }

  /** The hex SHA-256 of {@code file}'s bytes. */
  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(AuditEntry e, long expected, String previous) throws BrokenException {
    if (e.sequence() != expected) {
      throw new BrokenException("entry " + expected + " is missing (next is " + e.sequence() + ")");
    }
    if (!e.previousHash().equals(previous)) {
      throw new BrokenException("entry " + e.sequence() + " does not follow entry " + (expected - 1));
    }
    if (!AuditChain.expectedHash(e).equals(e.hash())) {
      throw new BrokenException("entry " + e.sequence() + " was changed after it was written (hash differs)");
    }
  }
}
