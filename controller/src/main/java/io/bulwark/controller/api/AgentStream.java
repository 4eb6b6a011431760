package io.bulwark.controller.api;

import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.RuleDeltas;
import io.bulwark.controller.deliver.StatusWriter;
import io.bulwark.controller.domain.ApplyReport;
import io.bulwark.controller.domain.DesiredState;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.ApplyState;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.Confirm;
import io.bulwark.proto.agent.v1.ConfirmRequest;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.Hello;
import io.bulwark.proto.agent.v1.StatusAck;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One device's stream. On the hello the controller records what the device has applied and sends
 * the desired state if it differs. Status reports are stored by the {@link StatusWriter} and
 * acknowledged by sequence once stored; a report resent from the agent's outbox is stored once and
 * acknowledged again (see {@link ReportsInFlight}). Confirm requests are answered at once. Desired
 * states are sent as a delta from the rule set the device last said it applied when that is known
 * and the delta is small, else in full; a device that refuses a delta gets the full rules. States
 * larger than a chunk go in chunks, and a refused chunked transfer is sent once more. When the
 * device reads slower than states come, only the newest waits (backpressure).
 */
final class AgentStream implements StreamObserver<AgentMessage>, AgentSessions.Session {
  /** What every stream of a controller uses. */
  record Shared(
      DeviceStore devices, AgentSessions sessions, SignedBundles bundles, Clock clock, StatusWriter writer,
      RuleDeltas deltas, TransferBudget budget, ReportsInFlight inFlight) {}

  private static final Logger log = LoggerFactory.getLogger(AgentStream.class);
  private final Shared shared;
  private final Caller.Device caller;
  private final String device;
  private final ServerCallStreamObserver<ControllerMessage> out;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile boolean greeted;
  /** One per stream, so that its reports stored together are acknowledged once. */
  private final StatusWriter.Acknowledger stored;
  private volatile long appliedGeneration;
  private volatile String appliedDigest = "";
  private DesiredState pending;
  private long lastSent;
  private long lastDelta;
  private long lastChunked;
  private long chunkedRetried;
  private BundleTransfer transfer;
  private volatile boolean fullOnly;
  /** The highest resent report stored but not acknowledged yet: the stream was not ready; 0 if none. */
  private long owedAck;
  /** How this stream is told that a resent report it claimed is stored; one object, to be told apart. */
  private final LongConsumer owing = this::owe;
  /** Held while a transfer is under way; see {@link TransferBudget}. */
  private final TransferBudget.Slot slot;

  AgentStream(Caller.Device caller, ServerCallStreamObserver<ControllerMessage> out, Shared shared) {
    this.caller = caller;
    this.device = caller.name();
    this.shared = shared;
    this.slot = shared.budget().slot(this::flush,
        () -> close("the agent read nothing for " + TransferBudget.STALL_LIMIT.toSeconds() + " s of a transfer"));
    this.stored = sequence -> {
      shared.inFlight().stored(device, sequence);
      acknowledge(sequence);
    };
    this.out = out;
    out.setOnCancelHandler(this::ended);
    out.setOnReadyHandler(this::flush);
  }

  @Override
  public void onNext(AgentMessage message) {
    MDC.put("device", device);
    try {
      // Revoked or enrolled again since the call began: refused at its next message.
      if (!caller.stillAllowed().getAsBoolean()) {
        throw new io.bulwark.controller.domain.PermissionDeniedException(refused(device));
      }
      switch (message.getBodyCase()) {
        case HELLO -> hello(message.getHello());
        case STATUS -> status(message.getStatus());
        case CONFIRM_REQUEST -> confirm(message.getConfirmRequest());
        default -> log.warn("device {} sent an empty message", device);
      }
    } catch (io.bulwark.controller.domain.BulwarkException e) {
      log.warn("device {}: {}", device, e.getMessage());
      refuse(StatusMapping.toStatus(e).getStatus());
    } catch (RuntimeException e) {
      StatusMapping.toStatus(e);
      close("internal error");
    } finally {
      MDC.remove("device");
    }
  }

  private void hello(Hello hello) {
    AgentReports.check(hello);
    appliedGeneration = hello.getAppliedGeneration();
    appliedDigest = hello.getAppliedDigest();
    // Open before reading: a generation committed after the read is then pushed to this stream.
    shared.sessions().open(device, this);
    Optional<DeviceStore.Greeting> greeting = shared.devices().greeting(device);
    if (greeting.isEmpty()) {
      shared.sessions().closed(device, this);
      refuse(Status.PERMISSION_DENIED.withDescription("device " + device + " is not enrolled"));
      return;
    }
    greeted = true;
    shared.inFlight().hello(device, greeting.get().lastSequence());
    var now = shared.clock().instant();
    shared.writer().submit(
        DeviceStore.Reported.hello(
            device,
            new ApplyReport(
                hello.getAppliedGeneration(), hello.getAppliedDigest(), hello.getAppliedGeneration(),
                hello.getAppliedGeneration() == 0 ? ApplyReport.Outcome.NONE : ApplyReport.Outcome.APPLIED, "", now),
            hello.getReportsThrough(), now),
        null);
    log.debug("device {} connected, applied generation {}, applier {}", device, hello.getAppliedGeneration(), hello.getApplier());
    // A newer state pushed meanwhile is not replaced by this one: send() keeps the newest.
    greeting.get().desired()
        .filter(state -> !state.digest().equals(hello.getAppliedDigest()))
        .ifPresent(this::send);
  }

  /** Commit-confirm: answering proves the agent reaches the controller through its new rules. */
  private synchronized void confirm(ConfirmRequest request) {
    AgentReports.check(request);
    if (!greeted || !open.get() || out.isCancelled()) {
      return;
    }
    out.onNext(
        ControllerMessage.newBuilder()
            .setConfirm(Confirm.newBuilder().setGeneration(request.getGeneration()).setNonce(request.getNonce()))
            .build());
  }

  private void status(ApplyStatus status) {
    if (!greeted) {
      close("hello expected first");
      return;
    }
    AgentReports.check(status);
    long sequence = status.getSequence();
    // A stream the device has replaced (one stuck queueing while its agent reconnected) does not
    // take the wait for a queued report over from the device's current stream.
    Supplier<LongConsumer> waiter = () -> shared.sessions().find(device).orElse(null) == this ? owing : null;
    ApplyReport report = AgentReports.report(device, status, shared.clock().instant());
    Runnable queue = () -> {
      if (report.outcome() == ApplyReport.Outcome.APPLIED) {
        appliedGeneration = status.getGeneration();
        appliedDigest = status.getDigest();
      }
      shared.writer().submit(new DeviceStore.Reported(device, report, sequence, null, report.at()),
          sequence == 0 ? null : stored);
    };
    if (sequence == 0) {
      queue.run();
    } else {
      ReportsInFlight.Seen seen = shared.inFlight().claimAndQueue(device, sequence, waiter, queue);
      if (seen != ReportsInFlight.Seen.NEW) {
        log.debug("device {} resent report {}, {}", device, sequence, seen);
        if (seen == ReportsInFlight.Seen.STORED) {
          owe(sequence);
        }
        return;
      }
    }
    if (status.getState() == ApplyState.APPLY_STATE_REJECTED && deltaRefused(status.getGeneration())) {
      log.info("device {} refused the delta for generation {}; sending the full rules", device, status.getGeneration());
      shared.devices().currentDesired(device).ifPresent(this::send);
    } else if (status.getState() == ApplyState.APPLY_STATE_REJECTED && chunksRefused(status.getGeneration())) {
      log.info("device {} refused the chunked rules of generation {}; sending them once more", device,
          status.getGeneration());
      shared.devices().currentDesired(device).ifPresent(this::send);
    }
  }

  private synchronized boolean deltaRefused(long generation) {
    if (generation != 0 && generation == lastDelta) {
      fullOnly = true;
      lastSent = 0;
      return true;
    }
    return false;
  }

  /** A chunked transfer damaged on the way is worth one more try per generation, not more. */
  private synchronized boolean chunksRefused(long generation) {
    if (generation != 0 && generation == lastChunked && generation != chunkedRetried) {
      chunkedRetried = generation;
      lastSent = 0;
      return true;
    }
    return false;
  }

  private synchronized void acknowledge(long sequence) {
    if (open.get() && !out.isCancelled()) {
      try {
        out.onNext(ControllerMessage.newBuilder().setStatusAck(StatusAck.newBuilder().setSequence(sequence)).build());
      } catch (OutOfMemoryError e) {
        // Called by the status writer too, whose thread must go on.
        sendFailed(directMemory(e));
        return;
      }
      // Acknowledgements are cumulative: this one may carry what was owed.
      owedAck = sequence >= owedAck ? 0 : owedAck;
    }
  }

  /**
   * Acknowledges a resent report stored already: now if the agent reads, else when it does. A
   * stream that reads nothing owes one acknowledgement, the highest, however many reports it is
   * sent again, so resending cannot grow the controller's memory.
   */
  private synchronized void owe(long sequence) {
    owedAck = Math.max(owedAck, sequence);
    if (out.isReady()) {
      acknowledge(owedAck);
    }
  }

  @Override
  public void onError(Throwable t) {
    ended();
  }

  @Override
  public void onCompleted() {
    ended();
    synchronized (this) {
      if (open.compareAndSet(true, false)) {
        out.onCompleted();
      }
    }
  }

  private void ended() {
    slot.close();
    shared.inFlight().left(device, owing);
    if (shared.sessions().closed(device, this)) {
      // Never waits (a stream closed at shutdown or by the slots' thread): a full queue loses only
      // this mark, which the device's next connection or the next start puts right.
      shared.writer().offer(new DeviceStore.Reported(device, null, 0, false, shared.clock().instant()));
      log.debug("device {} disconnected", device);
    }
  }

  @Override
  public synchronized void send(DesiredState state) {
    if (state.generation() < lastSent || (pending != null && state.generation() < pending.generation())) {
      return;
    }
    pending = state;
    flush();
  }

  /**
   * Sends what waits while the stream can take it; called again when it can. A transfer waits for
   * its bytes of the {@link TransferBudget}; a state larger than a chunk goes one chunk per call; a
   * newer state waiting supersedes a transfer between chunks, so the agent never gets chunks of two
   * generations mixed.
   */
  private synchronized void flush() {
    try {
      if (owedAck != 0 && out.isReady()) {
        acknowledge(owedAck);
      }
      sendWhileReady();
    } catch (RuntimeException e) {
      sendFailed(e);
    } catch (OutOfMemoryError e) {
      sendFailed(directMemory(e));
    }
  }

  /** {@code e} if the transport ran out of direct memory for its buffers; any other is thrown on. */
  private static OutOfMemoryError directMemory(OutOfMemoryError e) {
    if (e instanceof io.netty.util.internal.OutOfDirectMemoryError
        || String.valueOf(e.getMessage()).contains("direct buffer memory")) {
      return e;
    }
    throw e;
  }

  /**
   * A message that could not be made or sent (the transport out of direct memory) ends the
   * stream, with its slot: the agent reconnects and its hello brings the state again.
   */
  private void sendFailed(Throwable e) {
    if (out.isCancelled()) {
      log.debug("device {}: its stream was cancelled while a message was sent: {}", device, e.toString());
    } else {
      log.error("device {}: closing its stream, a message could not be sent", device, e);
    }
    close("the controller could not send to this agent; connect again");
  }

  private void sendWhileReady() {
    while (open.get() && !out.isCancelled() && out.isReady()) {
      if (pending != null) {
        if (transfer != null) {
          log.debug("device {}: generation {} supersedes {}", device, pending.generation(), transfer.generation());
        }
        transfer = start(pending);
        lastSent = pending.generation();
        pending = null;
      }
      if (transfer == null) {
        // Whatever was sent has left the buffers (the stream is ready): the slot can go.
        slot.giveBack();
        return;
      }
      if (!slot.take(transfer.largestMessageBytes())) {
        return;
      }
      slot.progress();
      out.onNext(transfer.next());
      if (!transfer.hasNext()) {
        transfer = null;
      }
    }
  }

  private BundleTransfer start(DesiredState state) {
    long base = appliedGeneration;
    BundleTransfer started = null;
    if (!fullOnly && base > 0 && base < state.generation()) {
      try {
        started = shared.deltas().between(appliedDigest, state)
            .map(d -> shared.bundles().deltaTransfer(state, base, d)).orElse(null);
      } catch (RuntimeException e) {
        // The base rules are read from the store; the full rules need nothing more.
        log.warn("device {}: no delta to generation {}, sending the full rules: {}", device, state.generation(),
            e.toString());
      }
    }
    lastDelta = started != null ? state.generation() : lastDelta;
    if (started == null) {
      started = shared.bundles().transfer(state);
      lastChunked = started.chunked() ? state.generation() : lastChunked;
    }
    if (started.chunked()) {
      log.debug("device {}: generation {} in {} messages", device, state.generation(), started.messages());
    }
    return started;
  }

  @Override
  public void close(String reason) {
    refuse(Status.UNAVAILABLE.withDescription(reason));
  }

  /** Ends the stream with {@code status}, once; it is then no longer the device's. */
  private void refuse(Status status) {
    synchronized (this) {
      slot.close();
      if (open.compareAndSet(true, false)) {
        try {
          out.onError(status.asRuntimeException());
        } catch (IllegalStateException alreadyClosed) {
          // The call ended between the check and the close; nothing left to do.
        }
      }
    }
    // gRPC tells a stream of no close the controller makes itself.
    ended();
  }

  /** Why a device whose certificate no longer holds is refused. */
  static String refused(String device) {
    return "the certificate of device " + device + " is revoked, expired, or replaced by a newer enrollment";
  }
}
