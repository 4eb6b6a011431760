package io.bulwark.agent.testing;

import com.google.protobuf.ByteString;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.BundleHeader;
import io.bulwark.proto.agent.v1.Confirm;
import io.bulwark.proto.agent.v1.ConfirmRequest;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.DesiredState;
import io.bulwark.proto.agent.v1.RenewRequest;
import io.bulwark.proto.agent.v1.RenewResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A controller's agent service that records every stream and message, for tests to drive: {@link
 * #nextStream} gives the newest stream, on which the test sends desired states and reads what the
 * agent sent.
 */
public final class FakeAgentService extends AgentServiceGrpc.AgentServiceImplBase {

  /** One {@code Connect} call as the server sees it. */
  public final class Stream {
    private final StreamObserver<ControllerMessage> toAgent;
    private final BlockingQueue<AgentMessage> fromAgent = new LinkedBlockingQueue<>();

    Stream(StreamObserver<ControllerMessage> toAgent) {
      this.toAgent = toAgent;
    }

    /**
     * Sends a desired state signed for the service's device; the digest is computed unless given
     * (a wrong one is signed as given).
     */
    public void send(long generation, String rules, String digest) {
      BundleHeader.Builder header = TestSigner.header(device, generation, rules, clock.instant());
      if (digest != null) {
        header.setDigest(digest);
      }
      send(signer.desiredState(header.build(), rules));
    }

    public void send(DesiredState state) {
      toAgent.onNext(ControllerMessage.newBuilder().setDesiredState(state).build());
    }

    public void send(ControllerMessage message) {
      toAgent.onNext(message);
    }

    public void fail(Status status) {
      toAgent.onError(status.asRuntimeException());
    }

    /** The next message from the agent; fails the test after {@code timeout}. */
    public AgentMessage next(Duration timeout) throws InterruptedException {
      AgentMessage message = fromAgent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no message from the agent within " + timeout);
      }
      return message;
    }

    /**
     * The state of the next status report that is not APPLYING: an apply and confirmation quicker
     * than the agent's hold is reported once, as its outcome, a slower one (a loaded machine) as
     * under way first.
     */
    public io.bulwark.proto.agent.v1.ApplyState nextOutcome(Duration timeout) throws InterruptedException {
      var state = next(timeout).getStatus().getState();
      return state == io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_APPLYING
          ? next(timeout).getStatus().getState() : state;
    }

    /** The next message if one arrives within {@code timeout}, else null. */
    public AgentMessage poll(Duration timeout) throws InterruptedException {
      return fromAgent.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private final BlockingQueue<Stream> streams = new LinkedBlockingQueue<>();
  private final BlockingQueue<ConfirmRequest> confirmRequests = new LinkedBlockingQueue<>();
  private final AtomicBoolean answerConfirms = new AtomicBoolean(true);
  private final TestSigner signer;
  private final String device;
  private final Clock clock;
  private volatile TestPki renewPki;

  /** Signs with {@code signer} for {@code device}, headers issued at {@code clock}'s time. */
  public FakeAgentService(TestSigner signer, String device, Clock clock) {
    this.signer = signer;
    this.device = device;
    this.clock = clock;
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> responseObserver) {
    Stream stream = new Stream(responseObserver);
    streams.add(stream);
    return new StreamObserver<>() {
      @Override
      public void onNext(AgentMessage value) {
        if (value.hasConfirmRequest()) {
          confirmRequests.add(value.getConfirmRequest());
          if (answerConfirms.get()) {
            stream.send(
                ControllerMessage.newBuilder()
                    .setConfirm(
                        Confirm.newBuilder()
                            .setGeneration(value.getConfirmRequest().getGeneration())
                            .setNonce(value.getConfirmRequest().getNonce()))
                    .build());
          }
          return;
        }
        stream.fromAgent.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  /**
   * Whether confirm requests are answered (default true). Confirm requests are kept apart from the
   * other messages, in {@link #nextConfirmRequest}.
   */
  public void answerConfirms(boolean answer) {
    answerConfirms.set(answer);
  }

  /** The next confirm request from the agent, or null after {@code timeout}. */
  public ConfirmRequest nextConfirmRequest(Duration timeout) throws InterruptedException {
    return confirmRequests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Renewal as the controller does it: the request's key, certificate signed by {@code pki}. */
  public void renewWith(TestPki pki) {
    this.renewPki = pki;
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<RenewResponse> observer) {
    if (renewPki == null) {
      observer.onError(Status.UNIMPLEMENTED.withDescription("no renewal here").asRuntimeException());
      return;
    }
    try {
      X509Certificate leaf = renewPki.signRequest(request.getCsrDer().toByteArray(), device);
      observer.onNext(
          RenewResponse.newBuilder()
              .addCertificateChainDer(ByteString.copyFrom(leaf.getEncoded()))
              .addCertificateChainDer(ByteString.copyFrom(renewPki.ca().getEncoded()))
              .build());
      observer.onCompleted();
    } catch (CertificateEncodingException e) {
      observer.onError(Status.INTERNAL.withCause(e).asRuntimeException());
    }
  }

  /** The next stream the agent opens; fails the test after {@code timeout}. */
  public Stream nextStream(Duration timeout) throws InterruptedException {
    Stream stream = streams.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (stream == null) {
      throw new AssertionError("the agent opened no stream within " + timeout);
    }
    return stream;
  }
}
