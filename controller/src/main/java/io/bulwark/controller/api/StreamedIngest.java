package io.bulwark.controller.api;

import com.google.protobuf.ByteString;
import io.bulwark.proto.admin.v1.IngestChunk;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client-streamed ingest. The chunks become an {@link InputStream} that the ingest reads on a
 * thread of its own while they arrive, under flow control: the next chunk is asked for only once
 * the reader took the previous one, so at most a few chunks are held however large the bundle.
 * A client that cancels, fails or stalls ({@link #IDLE}) midway makes the reader fail, and the
 * ingest stores nothing of the bundle. Thread-safe as gRPC calls it: one call's events in order.
 */
final class StreamedIngest implements StreamObserver<IngestChunk> {
  private static final Object END = new Object();

  /** At most two bundles are read and stored at once; more wait their turn. */
  private static final ExecutorService INGESTS = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "bulwark-ingest");
    t.setDaemon(true);
    return t;
  });

  /**
   * How long an upload may send nothing before it fails and its ingest thread and transaction are
   * freed; a peer that vanished is noticed sooner by the admin listener's keepalive.
   */
  static final Duration IDLE = Duration.ofSeconds(60);

  private final ServerCallStreamObserver<IngestResponse> out;
  private final ExecutorService ingests;
  private final Function<SourcedStream, IngestResponse> ingest;
  private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(4);
  private final Duration idle;
  private boolean started;

  /** The bundle as it arrives, and where it came from. */
  record SourcedStream(InputStream bundle, String source) {}

  /**
   * Starts one upload: {@code check} decides on the call's thread who is calling and whether they
   * may (its exception refuses the call); {@code ingest} then reads the bundle on an ingest thread.
   */
  static StreamObserver<IngestChunk> open(StreamObserver<IngestResponse> out, Supplier<Caller.User> check,
      BiFunction<SourcedStream, Caller.User, IngestResponse> ingest) {
    return open(out, check, ingest, INGESTS, IDLE);
  }

  /** As {@link #open(StreamObserver, Supplier, BiFunction)}, on {@code ingests}, failing after {@code idle}. */
  static StreamObserver<IngestChunk> open(StreamObserver<IngestResponse> out, Supplier<Caller.User> check,
      BiFunction<SourcedStream, Caller.User, IngestResponse> ingest, ExecutorService ingests, Duration idle) {
    Caller.User user;
    try {
      user = check.get();
    } catch (RuntimeException e) {
      out.onError(StatusMapping.toStatus(e));
      return new StreamObserver<>() {
        @Override
        public void onNext(IngestChunk value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
    return new StreamedIngest(out, ingests, upload -> ingest.apply(upload, user), idle);
  }

  private StreamedIngest(StreamObserver<IngestResponse> out, ExecutorService ingests,
      Function<SourcedStream, IngestResponse> ingest, Duration idle) {
    this.out = (ServerCallStreamObserver<IngestResponse>) out;
    this.ingests = ingests;
    this.ingest = ingest;
    this.idle = idle;
    this.out.disableAutoRequest();
    this.out.request(1);
  }

  @Override
  public void onNext(IngestChunk chunk) {
    if (!started) {
      started = true;
      String source = chunk.getSource().isBlank() ? "upload" : chunk.getSource();
      InputStream bundle = new ChunkStream();
      ingests.execute(() -> {
        try {
          IngestResponse response = ingest.apply(new SourcedStream(bundle, source));
          out.onNext(response);
          out.onCompleted();
        } catch (RuntimeException e) {
          out.onError(uploadFailure(e).map(f -> (Throwable) io.grpc.Status.ABORTED.withDescription(f.getMessage())
              .asRuntimeException()).orElseGet(() -> StatusMapping.toStatus(e)));
        }
      });
    }
    // Never blocks: only as many chunks are asked for as the queue holds.
    chunks.add(chunk.getData());
  }

  @Override
  public void onError(Throwable t) {
    chunks.offer(new UploadFailed("the upload was cancelled or failed: " + t.getMessage()));
  }

  @Override
  public void onCompleted() {
    if (!started) {
      out.onError(StatusMapping.toStatus(
          new io.bulwark.controller.domain.InvalidRequestException("the upload held no bundle")));
      return;
    }
    chunks.add(END);
  }

  /** Why the upload itself failed, as opposed to what it carried. */
  private static final class UploadFailed extends IOException {
    UploadFailed(String message) {
      super(message);
    }
  }

  private static java.util.Optional<UploadFailed> uploadFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UploadFailed f) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }

  /** Reads the chunks in order, asking for the next one as each is taken. */
  private final class ChunkStream extends InputStream {
    private ByteString current = ByteString.EMPTY;
    private int at;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (at >= current.size()) {
        if (ended) {
          return -1;
        }
        Object next;
        try {
          next = chunks.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the upload", e);
        }
        if (next == null) {
          throw new UploadFailed("the upload stalled: nothing arrived for " + idle.toSeconds() + " s;"
              + " nothing of it was stored");
        }
        if (next == END) {
          ended = true;
          return -1;
        }
        if (next instanceof IOException failed) {
          throw failed;
        }
        current = (ByteString) next;
        at = 0;
        out.request(1);
      }
      int n = Math.min(length, current.size() - at);
      current.substring(at, at + n).copyTo(buffer, offset);
      at += n;
      return n;
    }
  }
}
