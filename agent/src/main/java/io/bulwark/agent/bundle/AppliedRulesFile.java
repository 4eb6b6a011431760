package io.bulwark.agent.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.bulwark.agent.host.AtomicFiles;
import io.bulwark.delta.LineDelta;
import io.bulwark.delta.LineText;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A rule set kept on disk as a full copy and a journal of the deltas applied since, so that a
 * small change to a large rule set costs a small append instead of rewriting the whole file (17 MB
 * for a million-element table).
 *
 * <p>{@code NAME} holds full rules, only ever replaced whole ({@link AtomicFiles#write}); {@code
 * NAME.journal} holds records, each the delta's bytes with the SHA-256 of the rules it applies to
 * and of its result, guarded by a CRC-32 and synced before {@link #append} returns. Records chain:
 * a record whose base is not the result of the one before (left by a crash between a new full copy
 * and the journal's removal) ends the journal, as does a torn or damaged one. {@link #read} trusts
 * nothing it cannot check: what it returns hashes to the digest asked for. Not thread-safe.
 */
public final class AppliedRulesFile {

  /** "BRJ1". */
  private static final int MAGIC = 0x42524a31;

  private static final int DIGEST_BYTES = 32;
  private static final int HEADER_BYTES = 12;

  /** A journal this long or longer is folded into a new full copy at the next change. */
  static final long MIN_COMPACT_BYTES = 256 * 1024;

  /** Nor more records than this, so that reading the rules back at start-up stays quick. */
  static final int MAX_RECORDS = 64;

  private final Path full;
  private final Path journal;
  /** Where the next record goes, when the journal on disk ends with the rules last written. */
  private long end = -1;

  private int records;
  private long fullBytes;

  AppliedRulesFile(Path full) {
    this.full = full;
    this.journal = full.resolveSibling(full.getFileName() + ".journal");
  }

  /**
   * The rules with SHA-256 {@code digest} kept in {@code full} and its journal, as {@link #read}
   * finds them; empty when they are not there or cannot be read.
   */
  public static Optional<String> load(Path full, String digest) {
    try {
      return new AppliedRulesFile(full).read(digest);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The two files, the journal possibly absent; both only ever replaced or appended to. */
  List<Path> files() {
    return List.of(full, journal);
  }

  /** Writes {@code rules} in full and drops the journal. */
  void replace(String rules) throws IOException {
    end = -1;
    byte[] bytes = rules.getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(full, bytes, AtomicFiles.OWNER_ONLY);
    // Removed, never truncated: commit-confirm may hold a second name of it.
    Files.deleteIfExists(journal);
    fullBytes = bytes.length;
    records = 0;
    end = 0;
  }

  /**
   * True when the last {@link #replace}, {@link #append} or {@link #read} left the journal ready
   * for a delta from the rules it wrote or read, and the journal stays short with {@code delta}.
   */
  boolean canAppend(RuleDelta delta) {
    return end >= 0
        && records < MAX_RECORDS
        && end + delta.getSerializedSize() < Math.max(MIN_COMPACT_BYTES, fullBytes / 8)
        && journalBytes() == end;
  }

  /** The journal's size on disk; more than {@link #end} after a torn or unchained record. */
  private long journalBytes() {
    try {
      return Files.size(journal);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Adds {@code delta}, which turns the rules with digest {@code baseDigest} (the ones last written
   * or read) into those with {@code resultDigest}; durable when it returns.
   *
   * @throws IllegalStateException unless the journal ends with the rules last written or read
   */
  void append(String baseDigest, RuleDelta delta, String resultDigest) throws IOException {
    if (end < 0 || journalBytes() != end) {
      throw new IllegalStateException("the journal does not end with the rules last written");
    }
    byte[] edits = delta.toByteArray();
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + 2 * DIGEST_BYTES + edits.length);
    record.putInt(MAGIC).putInt(2 * DIGEST_BYTES + edits.length).putInt(0);
    record.put(HexFormat.of().parseHex(baseDigest)).put(HexFormat.of().parseHex(resultDigest)).put(edits);
    CRC32 crc = new CRC32();
    crc.update(record.array(), HEADER_BYTES, record.capacity() - HEADER_BYTES);
    record.putInt(8, (int) crc.getValue());
    record.flip();
    long at = end;
    end = -1;
    boolean created = !Files.exists(journal);
    try (FileChannel channel =
        FileChannel.open(
            journal,
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY))) {
      channel.position(at);
      while (record.hasRemaining()) {
        channel.write(record);
      }
      channel.force(false);
    }
    if (created) {
      AtomicFiles.syncDirectory(journal.toAbsolutePath().getParent());
    }
    records++;
    end = at + record.capacity();
  }

  /**
   * The rules with SHA-256 {@code digest}: the full copy, or it with the journal's deltas applied up
   * to the one that produced {@code digest}; empty when they are not there.
   */
  Optional<String> read(String digest) throws IOException {
    return readLines(digest).map(LineText::text);
  }

  /**
   * {@link #read}, with the rules' line starts: carried through the journal's deltas from one walk
   * over the full copy, made when first needed.
   */
  Optional<LineText> readLines(String digest) throws IOException {
    end = -1;
    LineText rules;
    try {
      rules = LineText.of(Files.readString(full, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    fullBytes = Files.size(full);
    String current = BundleCheck.sha256Hex(rules.text());
    LineText found = current.equals(digest) ? rules : null;
    int count = 0;
    int foundAt = found == null ? -1 : 0;
    long offset = 0;
    long foundEnd = 0;
    try (InputStream in = Files.newInputStream(journal)) {
      long size = Files.size(journal);
      DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in));
      // Never more records than append writes: a longer journal is not one this agent wrote.
      for (Record r = next(data, size - offset);
          r != null && r.base().equals(current) && count < MAX_RECORDS;
          r = next(data, size - offset)) {
        try {
          rules = LineDelta.applyKeepingEdits(rules, RuleDelta.parseFrom(r.edits())).lines();
        } catch (LineDelta.MismatchException | InvalidProtocolBufferException e) {
          break;
        }
        current = r.result();
        count++;
        offset += r.bytes();
        if (current.equals(digest)) {
          found = rules;
          foundAt = count;
          foundEnd = offset;
        }
      }
    } catch (NoSuchFileException e) {
      // No journal: the full copy is all.
    }
    if (found == null || (foundAt > 0 && !BundleCheck.sha256Hex(found.text()).equals(digest))) {
      return Optional.empty();
    }
    if (foundAt == count) {
      // The rules read end the journal's intact chain; appending may go on only if nothing follows
      // (a torn or unchained record makes canAppend false, so the next change is a full copy).
      records = count;
      end = foundEnd;
    }
    return Optional.of(found);
  }

  private record Record(String base, String result, byte[] edits, long bytes) {}

  /**
   * The next intact record, with {@code left} bytes of the journal left to read, or null at the
   * end, at a torn record or at a damaged one.
   */
  private static Record next(DataInputStream in, long left) throws IOException {
    try {
      if (in.readInt() != MAGIC) {
        return null;
      }
      int length = in.readInt();
      int crc = in.readInt();
      if (length < 2 * DIGEST_BYTES || length > left - HEADER_BYTES) {
        return null;
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      CRC32 check = new CRC32();
      check.update(payload);
      if ((int) check.getValue() != crc) {
        return null;
      }
      HexFormat hex = HexFormat.of();
      return new Record(
          hex.formatHex(payload, 0, DIGEST_BYTES),
          hex.formatHex(payload, DIGEST_BYTES, 2 * DIGEST_BYTES),
          java.util.Arrays.copyOfRange(payload, 2 * DIGEST_BYTES, length),
          HEADER_BYTES + (long) length);
    } catch (EOFException e) {
      return null;
    }
  }
}
