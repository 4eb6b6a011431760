package io.bulwark.agent.link;

import io.bulwark.agent.bundle.ApplyReport;
import com.google.protobuf.ByteString;
import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.ChunkAssembler;
import io.bulwark.agent.bundle.CommitConfirm;
import io.bulwark.agent.bundle.StatusSink;
import io.bulwark.agent.bundle.RuleBundle;
import io.bulwark.agent.outbox.AppliedState;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ApplyState;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.ConfirmRequest;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import io.bulwark.proto.agent.v1.Hello;
import io.bulwark.proto.agent.v1.RuleChunk;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} stream on one channel: sends {@code Hello} first, hands each desired state to
 * the {@link BundleProcessor} and sends back its reports. This is where proto types stop. Ends
 * exactly once, through {@link Listener#ended}, unless closed by the agent.
 */
final class StreamSession implements ClientResponseObserver<AgentMessage, ControllerMessage> {

  /** Called on gRPC threads; must not block. */
  interface Listener {
    void connected(StreamSession session);

    void ended(StreamSession session, Status status, boolean gotReply);
  }

  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

  private final ManagedChannel channel;
  private final BundleProcessor processor;
  private final String agentVersion;
  private final Listener listener;
  private final StatusSink reports;
  private final CommitConfirm.Requests confirmRequests;
  private final LongConsumer acks;
  private final LongSupplier lastReport;
  private final ChunkAssembler chunks;
  private final AtomicBoolean ended = new AtomicBoolean();
  private ClientCallStreamObserver<AgentMessage> requests;
  private boolean closed;
  private volatile boolean gotReply;

  /**
   * @param reports where the processor's reports go (the link, which outlives this stream)
   * @param confirmRequests where the processor's confirm requests go (the link, likewise)
   * @param acks told the sequence of each StatusAck
   * @param chunks joins desired states sent in chunks; this stream's own, closed when it ends
   * @param lastReport the sequence of the last report made (the outbox's), for the hello
   */
  StreamSession(
      ManagedChannel channel,
      BundleProcessor processor,
      String agentVersion,
      Listener listener,
      StatusSink reports,
      CommitConfirm.Requests confirmRequests,
      LongConsumer acks,
      ChunkAssembler chunks,
      LongSupplier lastReport) {
    this.channel = channel;
    this.chunks = chunks;
    this.processor = processor;
    this.agentVersion = agentVersion;
    this.listener = listener;
    this.reports = reports;
    this.confirmRequests = confirmRequests;
    this.acks = acks;
    this.lastReport = lastReport;
  }

  /** Opens the stream and sends {@code Hello}; returns at once. */
  void start() {
    AgentServiceGrpc.newStub(channel).connect(this);
    // Read before the applied state, which changes before its report is made: every report up to
    // this one is then no newer than the state the hello gives.
    long reportsThrough = lastReport.getAsLong();
    AppliedState applied = processor.applied();
    send(
        AgentMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setAppliedGeneration(applied.generation())
                    .setAppliedDigest(applied.digest())
                    .setAgentVersion(agentVersion)
                    .setApplier(processor.applierKind())
                    .setReportsThrough(reportsThrough))
            .build());
    watchUntilReady(channel.getState(false));
  }

  /** Half-closes the stream (its channel is the caller's); {@link Listener#ended} is not called. */
  void close() {
    ended.set(true);
    chunks.close();
    synchronized (this) {
      if (!closed) {
        closed = true;
        try {
          requests.onCompleted();
        } catch (RuntimeException e) {
          log.debug("stream already gone while closing: {}", e.toString());
        }
      }
    }
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
    this.requests = requestStream;
  }

  @Override
  public void onNext(ControllerMessage message) {
    gotReply = true;
    if (message.hasDesiredState()) {
      DesiredState desired = message.getDesiredState();
      RuleBundle bundle =
          new RuleBundle(
              desired.getGeneration(),
              desired.getTarget(),
              desired.getRules(),
              desired.getDigest(),
              desired.getSignedHeader().toByteArray(),
              desired.getSignature().toByteArray(),
              desired.hasDelta() ? desired.getDelta() : null);
      if (desired.hasChunked()) {
        handle(
            chunks.begin(
                bundle,
                desired.getChunked().getTotalBytes(),
                Integer.toUnsignedLong(desired.getChunked().getChunkCount())));
      } else {
        // A whole state abandons any transfer in progress: the controller sent something newer.
        chunks.close();
        processor.submit(bundle, reports, confirmRequests);
      }
    } else if (message.hasRuleChunk()) {
      RuleChunk chunk = message.getRuleChunk();
      handle(
          chunks.chunk(
              chunk.getGeneration(),
              Integer.toUnsignedLong(chunk.getIndex()),
              chunk.getData().asReadOnlyByteBuffer()));
    } else if (message.hasStatusAck()) {
      acks.accept(message.getStatusAck().getSequence());
    } else if (message.hasConfirm()) {
      processor.confirmed(
          message.getConfirm().getGeneration(), message.getConfirm().getNonce().toByteArray());
    } else {
      log.debug("ignoring a controller message of kind {}", message.getBodyCase());
    }
  }

  private void handle(ChunkAssembler.Step step) {
    if (step instanceof ChunkAssembler.Assembled assembled) {
      processor.submit(assembled.bundle(), reports, confirmRequests);
    } else if (step instanceof ChunkAssembler.Refused refused) {
      processor.refused(refused.generation(), refused.digest(), refused.reason(), reports);
    } else if (step instanceof ChunkAssembler.Ignored ignored) {
      log.debug("ignoring a chunk: {}", ignored.reason());
    }
  }

  @Override
  public void onError(Throwable t) {
    end(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end(Status.UNAVAILABLE.withDescription("the controller closed the stream"));
  }

  private void end(Status status) {
    synchronized (this) {
      closed = true;
    }
    chunks.close();
    if (ended.compareAndSet(false, true)) {
      listener.ended(this, status, gotReply);
    }
  }

  /** Sends a ConfirmRequest; false when the stream is gone. */
  boolean sendConfirmRequest(long generation, byte[] nonce) {
    return send(
        AgentMessage.newBuilder()
            .setConfirmRequest(
                ConfirmRequest.newBuilder()
                    .setGeneration(generation)
                    .setNonce(ByteString.copyFrom(nonce)))
            .build());
  }

  /** Sends a status report with its outbox sequence; false when the stream is gone. */
  boolean report(long sequence, ApplyReport report) {
    return send(
        AgentMessage.newBuilder()
            .setStatus(
                ApplyStatus.newBuilder()
                    .setSequence(sequence)
                    .setGeneration(report.generation())
                    .setState(state(report.phase()))
                    .setDigest(report.digest())
                    .setError(report.error())
                    .setAtMillis(report.atMillis()))
            .build());
  }

  private synchronized boolean send(AgentMessage message) {
    if (closed) {
      log.debug("stream closed; not sending {}", message.getBodyCase());
      return false;
    }
    try {
      requests.onNext(message);
      return true;
    } catch (RuntimeException e) {
      // The call ended between the check and the send; the caller keeps the message.
      log.debug("could not send {}: {}", message.getBodyCase(), e.toString());
      return false;
    }
  }

  private void watchUntilReady(ConnectivityState state) {
    if (state == ConnectivityState.READY) {
      if (!ended.get()) {
        listener.connected(this);
      }
    } else if (state != ConnectivityState.SHUTDOWN && !ended.get()) {
      channel.notifyWhenStateChanged(state, () -> watchUntilReady(channel.getState(false)));
    }
  }

  private static ApplyState state(ApplyReport.Phase phase) {
    return switch (phase) {
      case APPLYING -> ApplyState.APPLY_STATE_APPLYING;
      case APPLIED -> ApplyState.APPLY_STATE_APPLIED;
      case FAILED -> ApplyState.APPLY_STATE_FAILED;
      case REJECTED -> ApplyState.APPLY_STATE_REJECTED;
      case ROLLED_BACK -> ApplyState.APPLY_STATE_ROLLED_BACK;
      case DRIFTED -> ApplyState.APPLY_STATE_DRIFTED;
    };
  }
}
