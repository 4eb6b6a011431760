package io.bulwark.chunk;

import com.google.protobuf.ByteString;
import io.bulwark.proto.agent.v1.ChunkedTransfer;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import io.bulwark.proto.agent.v1.RuleChunk;

/**
 * How a desired state larger than one chunk travels: a first message holding the signed header,
 * the signature and a {@link ChunkedTransfer} with the total size and the number of chunks, then
 * {@link RuleChunk} messages with the bytes, in order. Both ends use it, so they agree on the
 * split. Slices share the payload's bytes. Stateless and thread-safe.
 */
public final class RuleChunks {

  /** The chunk size the controller sends; the agent accepts messages a little larger than this. */
  public static final int DEFAULT_CHUNK_BYTES = 1 << 20;

  private RuleChunks() {}

  /** Whether a payload of {@code size} bytes is sent in chunks rather than in one message. */
  public static boolean needsChunks(long size, int chunkBytes) {
    return size > chunkBytes;
  }

  /** How many chunks of at most {@code chunkBytes} hold {@code size} bytes. */
  public static int count(long size, int chunkBytes) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("the chunk size must be positive, not " + chunkBytes);
    }
    long count = (size + chunkBytes - 1) / chunkBytes;
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(size + " bytes need too many chunks of " + chunkBytes);
    }
    return (int) count;
  }

  /**
   * The first message of a chunked transfer: {@code signed} (header, signature, generation,
   * target, digest; no rules and no delta, also none carried as encoded bytes among its unknown
   * fields) with the size of {@code payload} and its chunk count.
   */
  public static ControllerMessage first(DesiredState signed, ByteString payload, int chunkBytes) {
    DesiredState first =
        signed.toBuilder()
            .clearRules()
            .clearDelta()
            .setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance())
            .setChunked(
                ChunkedTransfer.newBuilder()
                    .setTotalBytes(payload.size())
                    .setChunkCount(count(payload.size(), chunkBytes)))
            .build();
    return ControllerMessage.newBuilder().setDesiredState(first).build();
  }

  /** Chunk {@code index} (0-based) of {@code payload} for {@code generation}. */
  public static ControllerMessage chunk(
      long generation, ByteString payload, int chunkBytes, int index) {
    int count = count(payload.size(), chunkBytes);
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("chunk " + index + " of " + count);
    }
    long start = (long) index * chunkBytes;
    int end = (int) Math.min(payload.size(), start + chunkBytes);
    return ControllerMessage.newBuilder()
        .setRuleChunk(
            RuleChunk.newBuilder()
                .setGeneration(generation)
                .setIndex(index)
                .setData(payload.substring((int) start, end)))
        .build();
  }
}
