package io.bulwark.controller.cli;

import com.google.protobuf.ByteString;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.IngestChunk;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Sends one bundle file to the controller's {@code IngestStream} in 1 MiB chunks, as fast as the
 * controller reads them (flow control): memory stays at a few chunks whatever the file's size.
 * Not thread-safe: one upload per instance.
 */
final class BundleUpload {
  static final int CHUNK = 1 << 20;

  private BundleUpload() {}

  /**
   * Uploads {@code file} and waits for the controller's answer.
   *
   * @throws BulwarkException.Usage when the file cannot be read
   * @throws io.grpc.StatusRuntimeException when the controller refuses the bundle
   */
  static IngestResponse send(AdminClient client, Path file, String source) {
    CompletableFuture<IngestResponse> answer = new CompletableFuture<>();
    Object ready = new Object();
    ClientResponseObserver<IngestChunk, IngestResponse> observer = new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<IngestChunk> requests) {
        requests.setOnReadyHandler(() -> {
          synchronized (ready) {
            ready.notifyAll();
          }
        });
      }

      @Override
      public void onNext(IngestResponse value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
        synchronized (ready) {
          ready.notifyAll();
        }
      }

      @Override
      public void onCompleted() {}
    };
    var requests = (ClientCallStreamObserver<IngestChunk>) client.asyncStub().ingestStream(observer);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[CHUNK];
      boolean first = true;
      for (int n = in.readNBytes(buffer, 0, CHUNK); n > 0 || first; n = in.readNBytes(buffer, 0, CHUNK)) {
        synchronized (ready) {
          while (!requests.isReady() && !answer.isDone()) {
            ready.wait(1000);
          }
        }
        if (answer.isDone()) {
          break; // refused early; the answer says why
        }
        var chunk = IngestChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, Math.max(n, 0)));
        if (first) {
          chunk.setSource(source);
          first = false;
        }
        requests.onNext(chunk.build());
        if (n <= 0) {
          break;
        }
      }
      requests.onCompleted();
    } catch (IOException e) {
      requests.cancel("the file could not be read", e);
      throw new BulwarkException.Usage("cannot read " + file + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requests.cancel("interrupted", e);
      throw new BulwarkException("interrupted while sending " + file);
    }
    try {
      return answer.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new BulwarkException("ingest of " + file + " failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BulwarkException("interrupted while waiting for the controller");
    }
  }
}
