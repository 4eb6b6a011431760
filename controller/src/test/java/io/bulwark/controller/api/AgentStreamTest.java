package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.RuleDeltas;
import io.bulwark.controller.deliver.StatusWriter;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.rules.Digests;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's side of one agent stream, with the agent reading only as many messages as it
 * asks for (flow control): a newer generation supersedes a chunked transfer between chunks, and a
 * status report sent twice (an outbox resent after a reconnect) is stored once and acknowledged
 * both times; a device that is not enrolled is refused at its hello, and a generation committed
 * while a hello reads the store still reaches the new stream.
 */
class AgentStreamTest {
  private static final int CHUNK = 1000;

  private final MutableClock clock = MutableClock.at("2026-12-04T10:00:00Z");
  private final AgentSessions sessions = new AgentSessions();
  private final BlockingQueue<ControllerMessage> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private Database db;
  private JdbcDeviceStore devices;
  private StatusWriter writer;
  private AgentGrpcService service;
  private AsDevice.Served served;
  private ManagedChannel channel;
  private ClientCallStreamObserver<AgentMessage> requests;

  @BeforeEach
  void start() throws Exception {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    devices.upsertEnrolled("host-a", "nftables", List.of(), clock.instant());
    writer = new StatusWriter(devices).start();
    service = new AgentGrpcService(devices, sessions,
        new SignedBundles(BundleSigner.create(), clock, SignedBundles.DEFAULT_VALIDITY, CHUNK),
        (csr, device) -> List.of(), clock, writer, new RuleDeltas(devices),
        // One slot: each transfer in chunks must give it back for the next to go.
        new TransferBudget(1, java.util.concurrent.ForkJoinPool.commonPool()));
    served = new AsDevice("host-a").serve(service);
    channel = served.channel();
  }

  @AfterEach
  void stop() {
    served.close();
    writer.close();
    db.close();
  }

  @Test
  void newerGeneration_supersedesATransferBetweenChunks_whichNeverInterleave() throws Exception {
    String older = rules("10.1.", 2000);
    String newer = rules("10.2.", 1500);
    advance(older);
    connect();
    request(3);
    assertEquals(1, take().getDesiredState().getGeneration());
    assertEquals(0, take().getRuleChunk().getIndex());
    assertEquals(1, take().getRuleChunk().getIndex());

    DesiredState second = advance(newer);
    assertTrue(sessions.push(second));
    request(10_000);

    var first = take().getDesiredState();
    assertEquals(2, first.getGeneration(), "the newer generation comes next, not chunk 2 of the older");
    assertTrue(first.hasChunked());
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < first.getChunked().getChunkCount(); i++) {
      var chunk = take().getRuleChunk();
      assertEquals(2, chunk.getGeneration());
      assertEquals(i, chunk.getIndex());
      joined.append(chunk.getData().toStringUtf8());
    }
    assertEquals(newer, joined.toString());
    assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "nothing of the older transfer after it");
  }

  @Test
  void smallRuleSet_staysOneMessage() throws Exception {
    String small = rules("10.3.", 10);
    advance(small);
    connect();
    request(5);

    var only = take().getDesiredState();
    assertEquals(small, only.getRules());
    assertTrue(!only.hasChunked());
    assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void statusSentTwice_isStoredOnce_andAcknowledgedEachTime_alsoOnANewStream() throws Exception {
    String small = rules("10.4.", 5);
    advance(small);
    connect();
    request(100);
    var state = take().getDesiredState();
    var applied = status(7, state.getGeneration(), state.getDigest(),
        io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_APPLIED, "");
    // The same sequence with other content: what is stored shows which of the two counted.
    var sameSequence = status(7, state.getGeneration(), state.getDigest(),
        io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED, "must be ignored");

    requests.onNext(applied);
    assertEquals(7L, acks.poll(5, TimeUnit.SECONDS));
    requests.onNext(sameSequence);
    assertEquals(7L, acks.poll(5, TimeUnit.SECONDS), "a duplicate is acknowledged, or the agent would resend it");
    requests.onCompleted();
    connect();
    request(100);
    requests.onNext(sameSequence);
    assertEquals(7L, acks.poll(5, TimeUnit.SECONDS), "and after a reconnect");

    assertEquals(7, devices.greeting("host-a").orElseThrow().lastSequence());
    var device = devices.find("host-a").orElseThrow();
    assertEquals(state.getGeneration(), device.report().appliedGeneration());
    // (The second stream's hello names no applied generation, as the harness sends it.)
    assertTrue(device.report().outcome() != io.bulwark.controller.domain.ApplyReport.Outcome.FAILED
        && device.report().error().isEmpty(), "the report sent again with the same sequence was not stored: "
        + device.report());
  }

  @Test
  void aReportResentAfterTheHello_thatItSaysCameBefore_leavesTheHellosStateAsTheDevicesLast() throws Exception {
    DesiredState state = advance(rules("10.5.", 5));
    // Its agent recorded the generation as applied and stopped before it made the report: report
    // 10, resent after the hello, still says applying.
    requests = ReadingAgent.connect(channel, io.bulwark.proto.agent.v1.Hello.newBuilder().setApplier("dry-run")
        .setAppliedGeneration(state.generation()).setAppliedDigest(state.digest()).setReportsThrough(10).build(),
        received, acks, errors);
    request(100);
    requests.onNext(status(10, state.generation(), "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_APPLYING, ""));
    assertEquals(10L, acks.poll(5, TimeUnit.SECONDS));
    var device = devices.find("host-a").orElseThrow();
    assertEquals(io.bulwark.controller.domain.ApplyReport.Outcome.APPLIED, device.report().outcome(), device.toString());
    assertEquals(io.bulwark.controller.domain.DeviceState.COMPLIANT, device.state());

    requests.onNext(status(11, state.generation() + 1, "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED,
        "nft: no"));
    assertEquals(11L, acks.poll(5, TimeUnit.SECONDS));
    assertEquals("nft: no", devices.find("host-a").orElseThrow().report().error(), "a later report is the last");
  }

  @Test
  void aDeviceNotEnrolled_isRefusedAtItsHello_andNothingIsStored() throws Exception {
    try (AsDevice.Served ghost = new AsDevice("ghost").serve(service)) {
      connect(ghost.channel());
      Status refused = Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS));
      assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
      assertEquals("device ghost is not enrolled", refused.getDescription());
      assertTrue(devices.find("ghost").isEmpty());
      assertTrue(sessions.find("ghost").isEmpty(), "its stream is not kept as the device's");
      assertEquals(List.of(), received.stream().toList(), "nothing was sent to it");
    }
  }

  @Test
  void aGenerationCommittedRightAfterTheHelloRead_stillReachesTheStream() throws Exception {
    advance(rules("10.5.", 5));
    // A store whose hello read is overtaken: generation 2 is committed and pushed to the device's
    // open stream after the read found generation 1, before the read returns.
    DeviceStore overtaken = (DeviceStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DeviceStore.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(devices, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("greeting")) {
            sessions.pushAll(List.of(advance(rules("10.6.", 5))));
          }
          return result;
        });
    var racing = new AgentGrpcService(overtaken, sessions, new SignedBundles(BundleSigner.create(), clock),
        (csr, device) -> List.of(), clock, writer, new RuleDeltas(devices));
    try (AsDevice.Served served = new AsDevice("host-a").serve(racing)) {
      connect(served.channel());
      request(100);
      assertEquals(2, take().getDesiredState().getGeneration(), "the newer state, pushed while the hello read");
      assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "and not the older one after it");
    }
  }

  @Test
  void aDeviceRevokedAfterItsCallBegan_isRefusedAtItsNextMessage_andMarkedDisconnected() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean allowed = new java.util.concurrent.atomic.AtomicBoolean(false);
    try (AsDevice.Served served = new AsDevice("host-a", allowed::get).serve(service)) {
      connect(served.channel());
      Status refused = Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS));
      assertEquals(Status.Code.PERMISSION_DENIED, refused.getCode());
      assertTrue(refused.getDescription().contains("revoked"), refused.getDescription());
      assertTrue(sessions.find("host-a").isEmpty(), "refused at its hello, before it was the device's stream");

      allowed.set(true);
      connect(served.channel());
      request(100);
      waitFor(() -> devices.find("host-a").orElseThrow().connected(), "connected");
      allowed.set(false);
      requests.onNext(status(1, 1, "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED, "x"));
      assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS)).getCode());
      assertTrue(sessions.find("host-a").isEmpty());
      waitFor(() -> !devices.find("host-a").orElseThrow().connected(), "disconnected");
      assertTrue(devices.find("host-a").orElseThrow().report().error().isEmpty(), "its report was not stored");
    }
  }

  @Test
  void aStreamTheControllerCloses_isForgotten_andItsDeviceMarkedDisconnected() throws Exception {
    connect();
    waitFor(() -> devices.find("host-a").orElseThrow().connected(), "connected");

    sessions.find("host-a").orElseThrow().close("device revoked");

    assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS)).getCode());
    assertTrue(sessions.find("host-a").isEmpty());
    waitFor(() -> !devices.find("host-a").orElseThrow().connected(), "disconnected");
  }

  @Test
  void aMalformedDigestOrNonce_isRefusedByName_andHoldsUpNoOtherDevicesReports() throws Exception {
    devices.upsertEnrolled("host-b", "nftables", List.of(), clock.instant());
    connect();
    request(100);
    requests.onNext(status(1, 1, "a".repeat(65), io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_APPLIED, ""));
    Status refused = Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode());
    assertTrue(refused.getDescription().startsWith("status.digest is not a SHA-256"), refused.getDescription());
    connect();
    requests.onNext(AgentMessage.newBuilder().setConfirmRequest(io.bulwark.proto.agent.v1.ConfirmRequest.newBuilder()
        .setGeneration(1).setNonce(com.google.protobuf.ByteString.copyFrom(new byte[65]))).build());
    refused = Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode());
    assertTrue(refused.getDescription().startsWith("confirm_request.nonce has 65 bytes"), refused.getDescription());

    try (AsDevice.Served b = new AsDevice("host-b").serve(service)) {
      connect(b.channel());
      request(100);
      requests.onNext(status(1, 0, "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED, "nft broke"));
      assertEquals(1L, acks.poll(5, TimeUnit.SECONDS), "another device's report is stored and acknowledged");
    }
  }

  @Test
  void aRenewalWhoseCertificateWasRevokedSinceTheCallBegan_isRefused() throws Exception {
    try (AsDevice.Served served = new AsDevice("host-a", () -> false).serve(service)) {
      var refused = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
          () -> AgentServiceGrpc.newBlockingStub(served.channel()).renew(io.bulwark.proto.agent.v1.RenewRequest
              .newBuilder().setCsrDer(com.google.protobuf.ByteString.copyFrom(new byte[] {1})).build()));
      assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    }
  }

  @Test
  void reportResentOnANewStream_whileTheFirstCopyWaitsForTheStore_isStoredOnce() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    List<Long> storedSequences = new java.util.concurrent.CopyOnWriteArrayList<>();
    DeviceStore slow = (DeviceStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DeviceStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("recordReports")) {
            for (DeviceStore.Reported e : (List<DeviceStore.Reported>) args[0]) {
              if (e.sequence() > 0) {
                holding.countDown();
                release.await(); // the first copy of report 6 waits here until the second was sent
                storedSequences.add(e.sequence());
              }
            }
          }
          try {
            return method.invoke(devices, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (StatusWriter slowWriter = new StatusWriter(slow).start();
        AsDevice.Served served = new AsDevice("host-a").serve(new AgentGrpcService(slow, sessions,
            new SignedBundles(BundleSigner.create(), clock), (csr, device) -> List.of(), clock, slowWriter,
            new RuleDeltas(devices)))) {
      var report = status(6, 0, "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED, "nft broke");
      try {
        connect(served.channel());
        requests.onNext(report);
        assertTrue(holding.await(5, TimeUnit.SECONDS), "the first copy is on its way to the store");
        connect(served.channel()); // the agent reconnects and resends what was not acknowledged
        request(100);
        requests.onNext(report);
        Thread.sleep(100);
      } finally {
        release.countDown(); // else the writer's thread waits for ever
      }
      // The first copy's acknowledgement went to the first stream, which the agent left.
      assertEquals(6L, acks.poll(5, TimeUnit.SECONDS), "the copy resent meanwhile is acknowledged once stored");
      waitFor(() -> slowWriter.written() >= 3, "both hellos and the report stored");
      requests.onNext(report); // after it was stored, although the second hello read the store before
      assertEquals(6L, acks.poll(5, TimeUnit.SECONDS), "a report stored is acknowledged when resent");
      Thread.sleep(300);
      assertEquals(List.of(6L), storedSequences, "report 6 stored once");
    }
  }

  @Test
  void reportsResentToAStreamThatReadsNothing_oweOneAcknowledgement_sentOnceItReads() throws Exception {
    var report = status(6, 0, "", io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_FAILED, "nft broke");
    connect();
    request(100);
    requests.onNext(report);
    assertEquals(6L, acks.poll(5, TimeUnit.SECONDS));
    requests.onCompleted();
    connect(); // the agent resends its outbox before it reads
    for (int i = 0; i < 20; i++) {
      requests.onNext(report);
    }
    assertNull(acks.poll(200, TimeUnit.MILLISECONDS), "nothing is sent to a stream that reads nothing");
    request(100);
    assertEquals(6L, acks.poll(5, TimeUnit.SECONDS), "the acknowledgement owed is sent once it reads");
    assertNull(acks.poll(300, TimeUnit.MILLISECONDS), "once, not once per copy");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); !condition.getAsBoolean(); Thread.sleep(10)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not " + what + " within 5 s");
      }
    }
  }

  private static AgentMessage status(long sequence, long generation, String digest,
      io.bulwark.proto.agent.v1.ApplyState state, String error) {
    return AgentMessage.newBuilder().setStatus(io.bulwark.proto.agent.v1.ApplyStatus.newBuilder()
        .setSequence(sequence).setGeneration(generation).setDigest(digest).setState(state).setError(error)
        .setAtMillis(1)).build();
  }

  private DesiredState advance(String rules) {
    return devices.advanceDesired("host-a", "nftables", rules, Digests.sha256Hex(rules), List.of()).orElseThrow();
  }

  private void connect() {
    connect(channel);
  }

  private void connect(ManagedChannel to) {
    requests = ReadingAgent.connect(to, received, acks, errors);
  }

  private void request(int messages) {
    requests.request(messages);
  }

  /** The next message as an agent reads it off the wire. */
  private ControllerMessage take() throws Exception {
    ControllerMessage m = received.poll(5, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 5 s");
    }
    return ControllerMessage.parseFrom(m.toByteString());
  }

  private static String rules(String prefix, int lines) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      s.append(prefix).append(i / 256).append('.').append(i % 256).append(",\n");
    }
    return s.toString();
  }
}
