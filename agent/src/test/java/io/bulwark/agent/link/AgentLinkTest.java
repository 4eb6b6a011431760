package io.bulwark.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.apply.ApplyOutcome;
import io.bulwark.agent.bundle.BundleCheck;
import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.BundleVerifier;
import io.bulwark.agent.bundle.CommitConfirm;
import io.bulwark.agent.bundle.DriftCheck;
import io.bulwark.agent.bundle.HighWaterMark;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.agent.outbox.AppliedStateStore;
import io.bulwark.agent.outbox.StatusOutbox;
import io.bulwark.agent.testing.FakeAgentService;
import io.bulwark.agent.testing.FakeApplier;
import io.bulwark.agent.testing.TestSigner;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.ApplyState;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.StatusAck;
import io.bulwark.proto.agent.v1.Hello;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLinkTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String RULES = "table inet bulwark {\n}\n";

  @TempDir Path dir;

  private final TestSigner signer = new TestSigner();
  private final FakeAgentService controller = new FakeAgentService(signer, "web-01", CLOCK);
  private final FakeApplier applier = new FakeApplier("nftables");
  private final ExecutorService applyThread = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private Server server;
  private String serverName;
  private AgentLink link;
  private AppliedStateStore store;
  private final java.util.concurrent.atomic.AtomicInteger channelsMade = new java.util.concurrent.atomic.AtomicInteger();
  private Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), () -> 0.5);
  /** Zero here: each report is sent as it is made, which most tests follow step by step. */
  private Duration applyingHold = Duration.ZERO;

  @BeforeEach
  void startController() throws Exception {
    serverName = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(serverName)
            .directExecutor()
            .addService(controller)
            .build()
            .start();
    store = new AppliedStateStore(dir.resolve("state.properties"));
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    if (link != null) {
      link.stop();
    }
    applyThread.shutdown();
    applyThread.awaitTermination(5, TimeUnit.SECONDS);
    scheduler.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void connect_sendsHelloFirst_withTheAppliedState() throws Exception {
    store.save(new AppliedState(7, BundleCheck.sha256Hex(RULES)));
    startLink();

    AgentMessage first = controller.nextStream(WAIT).next(WAIT);

    assertEquals(
        Hello.newBuilder()
            .setAppliedGeneration(7)
            .setAppliedDigest(BundleCheck.sha256Hex(RULES))
            .setAgentVersion("9.9")
            .setApplier("nftables")
            .build(),
        first.getHello());
    assertTrue(link.awaitConnected(WAIT));
  }

  @Test
  void desiredState_isReportedApplyingThenApplied_andRecorded() throws Exception {
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(3, RULES, null);

    assertEquals(status(3, ApplyState.APPLY_STATE_APPLYING, ""), withoutSequence(stream.next(WAIT)));
    assertEquals(status(3, ApplyState.APPLY_STATE_APPLIED, ""), withoutSequence(stream.next(WAIT)));
    assertEquals(List.of(RULES), applier.applied());
    assertEquals(new AppliedState(3, BundleCheck.sha256Hex(RULES)), store.load());
  }

  @Test
  void digestMismatch_isReportedFailed_andNothingIsApplied() throws Exception {
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);
    String wrong = BundleCheck.sha256Hex("something else");

    stream.send(4, RULES, wrong);

    ApplyStatus failed = stream.next(WAIT).getStatus();
    assertEquals(ApplyState.APPLY_STATE_REJECTED, failed.getState());
    assertEquals("digest mismatch: the rules do not hash to the signed digest", failed.getError());
    assertEquals(wrong, failed.getDigest());
    assertTrue(applier.applied().isEmpty());
    assertEquals(AppliedState.NONE, store.load());
  }

  @Test
  void olderGeneration_isRejected_andReported() throws Exception {
    store.save(new AppliedState(5, BundleCheck.sha256Hex("old rules")));
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(3, RULES, null);

    ApplyStatus next = stream.next(WAIT).getStatus();
    assertEquals(3, next.getGeneration());
    assertEquals(ApplyState.APPLY_STATE_REJECTED, next.getState());
    assertTrue(applier.applied().isEmpty());
  }

  @Test
  void sameGenerationAndDigest_isConfirmedWithoutApplyingAgain() throws Exception {
    store.save(new AppliedState(8, BundleCheck.sha256Hex(RULES)));
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(8, RULES, null);

    assertEquals(status(8, ApplyState.APPLY_STATE_APPLIED, ""), withoutSequence(stream.next(WAIT)));
    assertTrue(applier.applied().isEmpty());
  }

  @Test
  void withTheRunningAgentsHold_aQuickApplyIsReportedOnce_asApplied_inSequence() throws Exception {
    applyingHold = AgentLink.APPLYING_HOLD;
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(3, RULES, null);
    ApplyStatus applied = stream.next(WAIT).getStatus();
    stream.send(4, RULES + "# 4\n", null);
    ApplyStatus next = stream.next(WAIT).getStatus();

    assertEquals(status(3, ApplyState.APPLY_STATE_APPLIED, ""), applied.toBuilder().clearSequence().build());
    assertEquals(4, next.getGeneration());
    assertEquals(ApplyState.APPLY_STATE_APPLIED, next.getState());
    assertEquals(applied.getSequence() + 1, next.getSequence(), "nothing stored between the two");
    assertNull(stream.poll(Duration.ofMillis(200)), "no report that either was under way");
  }

  @Test
  void failedApply_reportsTheAppliersError_andKeepsThePreviousState() throws Exception {
    applier.then(new ApplyOutcome.Failed("Error: No such file or directory\n  ip saddr @nope"));
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(2, RULES, null);

    assertEquals(ApplyState.APPLY_STATE_APPLYING, stream.next(WAIT).getStatus().getState());
    assertEquals(
        status(
            2, ApplyState.APPLY_STATE_FAILED, "Error: No such file or directory\n  ip saddr @nope"),
        withoutSequence(stream.next(WAIT)));
    assertEquals(AppliedState.NONE, store.load());
  }

  @Test
  void streamFailure_reconnects_andSaysHelloWithWhatWasApplied() throws Exception {
    startLink();
    FakeAgentService.Stream first = controller.nextStream(WAIT);
    first.next(WAIT);
    first.send(1, RULES, null);
    first.next(WAIT);
    long applied = first.next(WAIT).getStatus().getSequence();

    first.fail(Status.UNAVAILABLE.withDescription("controller restarting"));

    FakeAgentService.Stream second = controller.nextStream(WAIT);
    Hello hello = second.next(WAIT).getHello();
    assertEquals(1, hello.getAppliedGeneration());
    // The reports it resends next, never acknowledged, are no newer than the state it gives.
    assertEquals(applied, hello.getReportsThrough());
    assertEquals(applied, second.next(WAIT).getStatus().getSequence() + 1, "APPLYING, resent");
    assertEquals(applied, second.next(WAIT).getStatus().getSequence(), "APPLIED, resent");
  }

  @Test
  void aControllerBackUp_isReachedOnceTheChannelConnects_notAfterTheWholeBackoff() throws Exception {
    server.shutdownNow();
    server.awaitTermination();
    backoff = new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(60), () -> 0.99);
    startLink();
    Thread.sleep(300); // the first attempt fails; the next is due in about a minute
    server = InProcessServerBuilder.forName(serverName).directExecutor().addService(controller).build().start();

    FakeAgentService.Stream stream = controller.nextStream(Duration.ofSeconds(20));
    assertNotNull(stream, "reconnected when the channel did");
    assertTrue(stream.next(WAIT).hasHello());
  }

  @Test
  void aStreamThatEnded_isOpenedAgainOnTheSameChannel_butARefusedOneOnANewChannel() throws Exception {
    startLink();
    FakeAgentService.Stream first = controller.nextStream(WAIT);
    first.next(WAIT);

    first.fail(Status.UNAVAILABLE.withDescription("controller restarting"));
    FakeAgentService.Stream second = controller.nextStream(WAIT);
    second.next(WAIT);
    assertEquals(1, channelsMade.get(), "the channel is kept");

    second.fail(Status.PERMISSION_DENIED.withDescription("device web-01 is not enrolled"));
    controller.nextStream(WAIT).next(WAIT);
    assertEquals(2, channelsMade.get(), "a refused stream's channel is not reused: a new handshake");
  }

  @Test
  void stop_closesTheStream_andDoesNotReconnect() throws Exception {
    startLink();
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    link.stop();

    assertNull(stream.poll(Duration.ofMillis(200)));
    assertFalse(link.isConnected());
  }

  @Test
  void unconfirmedApply_isRolledBack_reported_andNotAppliedAgain() throws Exception {
    controller.answerConfirms(false);
    startLink(Duration.ofMillis(200));
    FakeAgentService.Stream stream = controller.nextStream(WAIT);
    stream.next(WAIT);

    stream.send(3, RULES, null);

    assertEquals(ApplyState.APPLY_STATE_APPLYING, stream.next(WAIT).getStatus().getState());
    ApplyStatus rolledBack = stream.next(WAIT).getStatus();
    assertEquals(ApplyState.APPLY_STATE_ROLLED_BACK, rolledBack.getState());
    assertTrue(
        rolledBack.getError().startsWith("no confirmation from the controller"),
        rolledBack.getError());
    assertEquals(3, controller.nextConfirmRequest(WAIT).getGeneration());
    assertEquals(List.of(""), applier.restored());
    assertEquals(AppliedState.NONE, store.load());

    stream.send(3, RULES, null);

    assertEquals(ApplyState.APPLY_STATE_ROLLED_BACK, stream.next(WAIT).getStatus().getState());
    assertEquals(List.of(RULES), applier.applied(), "a rolled-back generation is not re-applied");
  }

  @Test
  void unacknowledgedReports_areResentAfterAReconnect_untilAcknowledged() throws Exception {
    startLink();
    FakeAgentService.Stream first = controller.nextStream(WAIT);
    first.next(WAIT);
    first.send(1, RULES, null);
    ApplyStatus applying = first.next(WAIT).getStatus();
    ApplyStatus applied = first.next(WAIT).getStatus();
    assertEquals(List.of(1L, 2L), List.of(applying.getSequence(), applied.getSequence()));
    first.send(
        ControllerMessage.newBuilder()
            .setStatusAck(StatusAck.newBuilder().setSequence(1))
            .build());

    first.fail(Status.UNAVAILABLE.withDescription("controller restarting"));

    FakeAgentService.Stream second = controller.nextStream(WAIT);
    assertTrue(second.next(WAIT).hasHello());
    assertEquals(applied, second.next(WAIT).getStatus(), "only the unacknowledged report again");
  }

  private void startLink() {
    startLink(Duration.ofSeconds(5));
  }

  private void startLink(Duration confirmWindow) {
    BundleProcessor processor =
        new BundleProcessor(
            applier,
            store,
            new HighWaterMark(dir.resolve("highwater"), store.load().generation()),
            new BundleVerifier("web-01", signer.publicKey(), CLOCK),
            new CommitConfirm(dir, confirmWindow),
            new DriftCheck(applier, dir.resolve("applied.rules"), DriftCheck.Policy.REPORT, CLOCK),
            CLOCK,
            applyThread,
            s -> {});
    link =
        new AgentLink(
            "in-process",
            new StreamChannel<>(() -> "web-01", id -> {
              channelsMade.incrementAndGet();
              return InProcessChannelBuilder.forName(serverName).build();
            }, id -> true),
            processor,
            "9.9",
            backoff,
            scheduler,
            () -> {},
            new StatusOutbox(dir.resolve("outbox")),
            dir,
            applyingHold);
    link.start();
  }

  private static ApplyStatus withoutSequence(AgentMessage message) {
    return message.getStatus().toBuilder().clearSequence().build();
  }

  private static ApplyStatus status(long generation, ApplyState state, String error) {
    return ApplyStatus.newBuilder()
        .setGeneration(generation)
        .setState(state)
        .setDigest(BundleCheck.sha256Hex(RULES))
        .setError(error)
        .setAtMillis(CLOCK.millis())
        .build();
  }
}
