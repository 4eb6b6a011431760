package io.bulwark.controller.api;

import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.RuleDeltas;
import io.bulwark.controller.deliver.StatusWriter;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.RenewRequest;
import io.bulwark.proto.agent.v1.RenewResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent service: each device's stream ({@link AgentStream}) and its certificate renewals. The
 * device is the one named by the client certificate.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AgentGrpcService.class);
  private final DeviceStore devices;
  private final AgentSessions sessions;
  private final DeviceCertificates certificates;
  private final ReportsInFlight inFlight = new ReportsInFlight();
  private final AgentStream.Shared shared;

  /**
   * @param certificates renews device certificates; see {@link #renew}
   * @param writer stores what streams report, in batches, before they are acknowledged
   * @param deltas the deltas sent to devices whose applied rule set is known
   */
  public AgentGrpcService(
      DeviceStore devices, AgentSessions sessions, SignedBundles bundles,
      DeviceCertificates certificates, Clock clock, StatusWriter writer, RuleDeltas deltas) {
    this(devices, sessions, bundles, certificates, clock, writer, deltas, TransferBudget.forThisHeap());
  }

  /** @param budget how many bytes of rule sets streams may send at once */
  AgentGrpcService(
      DeviceStore devices, AgentSessions sessions, SignedBundles bundles,
      DeviceCertificates certificates, Clock clock, StatusWriter writer, RuleDeltas deltas, TransferBudget budget) {
    this.devices = devices;
    this.sessions = sessions;
    this.certificates = certificates;
    this.shared = new AgentStream.Shared(devices, sessions, bundles, clock, writer, deltas, budget, inFlight);
  }

  /** Issues device certificates; the CA in production. */
  public interface DeviceCertificates {
    /** A certificate for the key in {@code csrDer}, naming {@code device}; chain leaf first, CA last. */
    java.util.List<java.security.cert.X509Certificate> issue(byte[] csrDer, String device);
  }

  /** Renewal: the device is the one named by the certificate this call is made with. */
  @Override
  public void renew(RenewRequest request, StreamObserver<RenewResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          Caller.Device caller = (Caller.Device) Caller.current();
          String device = caller.name();
          if (!caller.stillAllowed().getAsBoolean()) {
            throw new io.bulwark.controller.domain.PermissionDeniedException(AgentStream.refused(device));
          }
          if (devices.find(device).isEmpty()) {
            throw new io.bulwark.controller.domain.PermissionDeniedException("device " + device + " is not enrolled");
          }
          if (request.getCsrDer().size() > 16 * 1024) {
            throw new io.bulwark.controller.domain.InvalidRequestException("certificate request is too large");
          }
          var chain = certificates.issue(request.getCsrDer().toByteArray(), device);
          log.info("device {} renewed its certificate, valid until {}", device, chain.get(0).getNotAfter().toInstant());
          var response = RenewResponse.newBuilder();
          for (var cert : chain) {
            try {
              response.addCertificateChainDer(com.google.protobuf.ByteString.copyFrom(cert.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
              throw new IllegalStateException(e);
            }
          }
          return response.build();
        });
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ControllerMessage> responses) {
    Caller.Device caller = (Caller.Device) Caller.current();
    // Whether the device is enrolled is read with the rest at its hello, which agents send first;
    // until then the stream gets nothing, and a report before the hello closes it.
    return new AgentStream(caller, (ServerCallStreamObserver<ControllerMessage>) responses, shared);
  }

  /** {@code device} enrolled again: its stream is closed, and its new agent numbers its reports afresh. */
  public void enrolledAgain(String device) {
    sessions.find(device).ifPresent(s -> s.close("device " + device + " enrolled again"));
    inFlight.forget(device);
  }
}
