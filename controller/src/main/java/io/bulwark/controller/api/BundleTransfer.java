package io.bulwark.controller.api;

import com.google.protobuf.ByteString;
import io.bulwark.chunk.RuleChunks;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import java.util.NoSuchElementException;

/**
 * The messages that carry one signed desired state to one agent: the state itself when it fits
 * one chunk, else a first message and its chunks ({@link RuleChunks}). Messages are made one at a
 * time as the stream takes them, so a transfer holds the payload once and no serialized copies.
 * Not thread-safe: one stream sends it, under that stream's lock.
 */
final class BundleTransfer {
  private final long generation;
  private final DesiredState whole;
  private final ByteString payload;
  private final int chunkBytes;
  private final int count;
  private int next;

  private BundleTransfer(long generation, DesiredState whole, ByteString payload, int chunkBytes) {
    this.generation = generation;
    this.whole = whole;
    this.payload = payload;
    this.chunkBytes = chunkBytes;
    this.count = payload == null ? 1 : 1 + RuleChunks.count(payload.size(), chunkBytes);
  }

  /** One message. */
  static BundleTransfer single(DesiredState state) {
    return new BundleTransfer(state.getGeneration(), state, null, 0);
  }

  /** {@code signed} (without rules or delta) followed by {@code payload} in chunks. */
  static BundleTransfer chunked(DesiredState signed, ByteString payload, int chunkBytes) {
    return new BundleTransfer(signed.getGeneration(), signed, payload, chunkBytes);
  }

  long generation() {
    return generation;
  }

  boolean chunked() {
    return payload != null;
  }

  /** The size of its largest message, what it takes of the {@link TransferBudget}. */
  int largestMessageBytes() {
    int first = whole.getSerializedSize();
    return payload == null ? first : Math.max(first, Math.min(chunkBytes, payload.size()));
  }

  /** Messages in all, the first included. */
  int messages() {
    return count;
  }

  boolean hasNext() {
    return next < count;
  }

  ControllerMessage next() {
    if (!hasNext()) {
      throw new NoSuchElementException("transfer of generation " + generation + " was sent");
    }
    int index = next++;
    if (payload == null) {
      return ControllerMessage.newBuilder().setDesiredState(whole).build();
    }
    return index == 0
        ? RuleChunks.first(whole, payload, chunkBytes)
        : RuleChunks.chunk(generation, payload, chunkBytes, index - 1);
  }
}
