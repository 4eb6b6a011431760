package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ingest.AllowlistCheck;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcIndicatorStore;
import io.bulwark.controller.store.JdbcStixObjectStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.proto.admin.v1.IngestChunk;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed ingest into a real H2 store, with the call's side played by a recording observer. */
class StreamedIngestTest {
  private static final String BUNDLE = "{\"type\":\"bundle\",\"id\":\"bundle--aaaaaaaa-0000-4000-8000-000000000000\","
      + "\"objects\":[" + indicator(1) + "," + indicator(2) + "]}";
  private Database db;
  private BundleIngestor ingestor;
  private final ExecutorService oneThread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void open() {
    db = TestDatabases.freshH2();
    var clock = MutableClock.at("2026-12-04T10:00:00Z");
    ingestor = new BundleIngestor(new JdbcIndicatorStore(db.jdbi(), clock), new JdbcStixObjectStore(db.jdbi(), clock),
        BundleIngestor.Hook.NONE, AllowlistCheck.NONE);
  }

  @AfterEach
  void close() {
    oneThread.shutdownNow();
    db.close();
  }

  private static String indicator(int n) {
    return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--aaaaaaaa-0000-4000-8000-00000000000"
        + n + "\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"n" + n
        + "\",\"pattern\":\"[ipv4-addr:value = '198.51.100." + n + "']\",\"pattern_type\":\"stix\","
        + "\"valid_from\":\"2026-01-01T00:00:00Z\"}";
  }

  private StreamObserver<IngestChunk> upload(Recorder out) {
    return StreamedIngest.open(out, () -> new Caller.User("alice", Role.CSIRT),
        (upload, user) -> IngestResponse.newBuilder()
            .setStored(ingestor.ingest(upload.bundle(), upload.source()).stored()).build(),
        oneThread, Duration.ofMillis(300));
  }

  private static IngestChunk chunk(String text) {
    return IngestChunk.newBuilder().setSource("upload-test").setData(ByteString.copyFrom(text, StandardCharsets.UTF_8))
        .build();
  }

  private int stored() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM indicator_versions").mapTo(Integer.class).one());
  }

  @Test
  void uploadThatStalls_failsNamingIt_storesNothing_andFreesItsThreadForTheNext() throws Exception {
    Recorder stalled = new Recorder();
    upload(stalled).onNext(chunk(BUNDLE.substring(0, BUNDLE.length() / 2 + 40)));

    Object result = stalled.done.get(10, TimeUnit.SECONDS);

    var e = assertInstanceOf(StatusRuntimeException.class, result);
    assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("stalled"), e.getStatus().getDescription());
    assertEquals(0, stored());

    Recorder next = new Recorder();
    var call = upload(next);
    call.onNext(chunk(BUNDLE.substring(0, 100)));
    call.onNext(chunk(BUNDLE.substring(100)));
    call.onCompleted();
    var response = assertInstanceOf(IngestResponse.class, next.done.get(10, TimeUnit.SECONDS));
    assertEquals(2, response.getStored());
    assertEquals(2, stored());
  }

  @Test
  void uploadCancelledByTheClient_failsAsAborted_andStoresNothing() throws Exception {
    Recorder cancelled = new Recorder();
    var call = upload(cancelled);
    call.onNext(chunk(BUNDLE.substring(0, 150)));
    call.onError(Status.CANCELLED.withDescription("client went away").asRuntimeException());

    var e = assertInstanceOf(StatusRuntimeException.class, cancelled.done.get(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("cancelled or failed"), e.getStatus().getDescription());
    assertEquals(0, stored());
  }

  /** The server side of a call: records what the ingest answers; flow control always ready. */
  private static final class Recorder extends ServerCallStreamObserver<IngestResponse> {
    final CompletableFuture<Object> done = new CompletableFuture<>();
    private volatile IngestResponse response;

    @Override
    public void onNext(IngestResponse value) {
      response = value;
    }

    @Override
    public void onError(Throwable t) {
      done.complete(t);
    }

    @Override
    public void onCompleted() {
      done.complete(response);
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void disableAutoRequest() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
  }
}
