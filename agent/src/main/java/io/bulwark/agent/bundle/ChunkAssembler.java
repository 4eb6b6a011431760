package io.bulwark.agent.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.bulwark.proto.agent.v1.RuleDelta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a desired state that the controller sent in chunks, for one stream.
 *
 * <p>The first message's signature is verified before anything of it is parsed ({@link
 * BundleVerifier#authenticate}); its announced size must be within the limit. The chunks must
 * then come in order, each exactly once, and are written to a spool file in the data directory
 * while their SHA-256 is computed, so that memory holds one chunk rather than the rule set. When
 * the last one is in, the bytes must hash to the signed digest (of the rules, or of a chunked
 * delta) before they are read as rules or parsed as a delta. Anything else refuses the transfer
 * with a reason naming what was wrong; the rest of a refused transfer is ignored. A new first
 * message abandons a transfer not yet complete. Thread-safe; one stream feeds it, in order.
 */
public final class ChunkAssembler implements AutoCloseable {

  /** The largest rule set (or delta) accepted in chunks. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private static final Logger log = LoggerFactory.getLogger(ChunkAssembler.class);
  private static final String SPOOL_PREFIX = "incoming-";
  private static final String SPOOL_SUFFIX = ".chunks";
  private static final int READ_SLICE = 1 << 20;

  /** What one message did. */
  public sealed interface Step {}

  /** More chunks are expected. */
  public record Waiting() implements Step {}

  /** The transfer is complete and its bytes hash to the signed digest; not yet fully verified. */
  public record Assembled(RuleBundle bundle) implements Step {}

  /** The transfer is refused; {@code reason} is for the controller. */
  public record Refused(long generation, String digest, String reason) implements Step {}

  /** A chunk that belongs to no transfer in progress, such as the rest of a refused one. */
  public record Ignored(String reason) implements Step {}

  private final BundleVerifier verifier;
  private final Path spoolDir;
  private final long maxBytes;
  private Transfer current;
  /** The generation whose remaining chunks are dropped silently; -1 for none. */
  private long dropping = -1;

  /**
   * @param spoolDir where the chunks of a transfer in progress are written; must exist
   * @param maxBytes the largest transfer accepted
   */
  public ChunkAssembler(BundleVerifier verifier, Path spoolDir, long maxBytes) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBytes must be positive and below 2 GiB, not " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Deletes spool files that a stopped agent left behind; call once at start-up. */
  public static void deleteLeftovers(Path spoolDir) {
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(spoolDir, SPOOL_PREFIX + "*" + SPOOL_SUFFIX)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      log.warn("cannot delete left-over chunk files in {}: {}", spoolDir, e.toString());
    }
  }

  /**
   * Starts a transfer. {@code first} carries the signed header and signature; its rules are empty
   * and its delta null.
   */
  public synchronized Step begin(RuleBundle first, long totalBytes, long chunkCount) {
    long generation = first.generation();
    if (current != null) {
      log.info(
          "generation {} abandons the transfer of generation {} after {} of {} chunks",
          Long.toUnsignedString(generation),
          Long.toUnsignedString(current.generation),
          current.next,
          current.count);
      discard();
    }
    dropping = generation;
    BundleVerifier.Result result = verifier.authenticate(first.signedHeader(), first.signature());
    if (result instanceof BundleVerifier.Rejected rejected) {
      return refuse(generation, first.digest(), rejected.reason());
    }
    var authentic = (BundleVerifier.Authentic) result;
    SignedHeader header = authentic.header();
    if (header.generation() != generation) {
      return refuse(generation, first.digest(), "the unsigned generation differs from the signed one");
    }
    if (Long.compareUnsigned(totalBytes, maxBytes) > 0) {
      return refuse(
          generation,
          header.digest(),
          "the rule set of "
              + Long.toUnsignedString(totalBytes)
              + " bytes ("
              + mebibytes(totalBytes)
              + ") exceeds the agent's limit of "
              + maxBytes
              + " bytes ("
              + mebibytes(maxBytes)
              + ")");
    }
    if (totalBytes == 0 || chunkCount <= 0 || chunkCount > totalBytes) {
      return refuse(
          generation,
          header.digest(),
          "malformed chunked transfer: " + totalBytes + " bytes in " + chunkCount + " chunks");
    }
    boolean delta = header.baseGeneration() != 0;
    String expected = delta ? authentic.payloadDigest() : header.digest();
    if (expected.isEmpty()) {
      return refuse(generation, header.digest(), "a chunked delta needs a signed payload digest");
    }
    try {
      current = new Transfer(first, header.digest(), delta, expected, totalBytes, chunkCount);
    } catch (IOException e) {
      return refuse(generation, header.digest(), "cannot spool the chunks: " + e);
    }
    dropping = -1;
    return new Waiting();
  }

  /** Takes chunk {@code index} of {@code generation}; {@code data} is read, not kept. */
  public synchronized Step chunk(long generation, long index, ByteBuffer data) {
    if (current == null) {
      return new Ignored(
          generation == dropping
              ? "the rest of the refused transfer of generation " + Long.toUnsignedString(generation)
              : "chunk " + index + " of generation " + Long.toUnsignedString(generation)
                  + " belongs to no transfer in progress");
    }
    Transfer t = current;
    if (generation != t.generation) {
      return refuseCurrent(
          "a chunk of generation "
              + Long.toUnsignedString(generation)
              + " arrived during the transfer of generation "
              + Long.toUnsignedString(t.generation));
    }
    if (index != t.next) {
      return refuseCurrent(
          index < t.next
              ? "chunk " + index + " arrived twice (duplicate); chunk " + t.next + " was expected"
              : "chunk " + index + " arrived where chunk " + t.next
                  + " was expected (missing or out of order)");
    }
    if (t.received + data.remaining() > t.total) {
      return refuseCurrent(
          "chunk " + index + " brings more than the announced " + t.total + " bytes");
    }
    try {
      t.write(data);
    } catch (IOException e) {
      return refuseCurrent("cannot spool chunk " + index + ": " + e);
    }
    if (t.next < t.count) {
      return new Waiting();
    }
    return finish(t);
  }

  /** Abandons any transfer in progress and deletes its spool file. */
  @Override
  public synchronized void close() {
    discard();
  }

  private Step finish(Transfer t) {
    if (t.received != t.total) {
      return refuseCurrent(
          "the chunks hold " + t.received + " bytes, the transfer announced " + t.total);
    }
    if (!t.digest().equals(t.expected)) {
      return refuseCurrent(
          "digest mismatch: the joined chunks do not hash to the signed "
              + (t.delta ? "delta digest" : "digest"));
    }
    RuleBundle bundle;
    try {
      t.file.close();
      RuleBundle first = t.first;
      if (t.delta) {
        RuleDelta delta;
        try (InputStream in = Files.newInputStream(t.path)) {
          delta = RuleDelta.parseFrom(in);
        }
        bundle = new RuleBundle(first.generation(), first.target(), "", first.digest(),
            first.signedHeader(), first.signature(), delta);
      } else {
        String rules = t.readRules();
        bundle = new RuleBundle(first.generation(), first.target(), rules, first.digest(),
            first.signedHeader(), first.signature());
      }
    } catch (InvalidProtocolBufferException e) {
      return refuseCurrent("the joined chunks are not a valid delta: " + e.getMessage());
    } catch (IOException e) {
      return refuseCurrent("cannot read the spooled chunks: " + e);
    }
    discard();
    return new Assembled(bundle);
  }

  private Step refuseCurrent(String reason) {
    Transfer t = current;
    discard();
    return refuse(t.generation, t.signedDigest, reason);
  }

  private Step refuse(long generation, String digest, String reason) {
    dropping = generation;
    return new Refused(generation, digest, reason);
  }

  private void discard() {
    Transfer t = current;
    current = null;
    if (t != null) {
      try {
        t.file.close();
        Files.deleteIfExists(t.path);
      } catch (IOException e) {
        log.warn("cannot delete the chunk file {}: {}", t.path, e.toString());
      }
    }
  }

  private static String mebibytes(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** One transfer in progress. */
  private final class Transfer {
    final RuleBundle first;
    final long generation;
    final String signedDigest;
    final boolean delta;
    final String expected;
    final long total;
    final long count;
    final Path path;
    final FileChannel file;
    final MessageDigest sha256;
    long next;
    long received;

    Transfer(RuleBundle first, String signedDigest, boolean delta, String expected, long total,
        long count) throws IOException {
      this.first = first;
      this.generation = first.generation();
      this.signedDigest = signedDigest;
      this.delta = delta;
      this.expected = expected;
      this.total = total;
      this.count = count;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
      this.path = Files.createTempFile(spoolDir, SPOOL_PREFIX, SPOOL_SUFFIX);
      this.file = FileChannel.open(path, StandardOpenOption.WRITE);
    }

    void write(ByteBuffer data) throws IOException {
      received += data.remaining();
      sha256.update(data.duplicate());
      while (data.hasRemaining()) {
        file.write(data);
      }
      next++;
    }

    /**
     * The spooled bytes as UTF-8 text, read a slice at a time: reading all at once would make the
     * JDK allocate, and keep cached on this thread, a direct buffer as large as the rule set.
     */
    String readRules() throws IOException {
      byte[] bytes = new byte[Math.toIntExact(total)];
      try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
        int offset = 0;
        while (offset < bytes.length) {
          int read = in.read(ByteBuffer.wrap(bytes, offset, Math.min(READ_SLICE, bytes.length - offset)));
          if (read < 0) {
            throw new IOException("the chunk file ended after " + offset + " of " + total + " bytes");
          }
          offset += read;
        }
      }
      // The bytes hash to the signed digest, so they are the controller's own UTF-8.
      return new String(bytes, StandardCharsets.UTF_8);
    }

    String digest() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }
}
