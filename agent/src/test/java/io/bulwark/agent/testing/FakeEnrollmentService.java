package io.bulwark.agent.testing;

import com.google.protobuf.ByteString;
import io.bulwark.proto.enrollment.v1.EnrollRequest;
import io.bulwark.proto.enrollment.v1.EnrollResponse;
import io.bulwark.proto.enrollment.v1.EnrollmentServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enrollment as the controller does it: one use per token, the device name bound to the token, the
 * certificate signed by a {@link TestPki}, the chain sent leaf first and CA last.
 */
public final class FakeEnrollmentService extends EnrollmentServiceGrpc.EnrollmentServiceImplBase {

  private final TestPki pki;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final String device;
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private volatile X509Certificate caToSend;

  private final byte[] signingKey;

  /** Hands out {@code signer}'s public key as the bundle signing key. */
  public FakeEnrollmentService(TestPki pki, TestSigner signer, String token, String device) {
    this.pki = pki;
    this.signingKey = signer.publicKey().getEncoded();
    this.tokens.add(token);
    this.device = device;
    this.caToSend = pki.ca();
  }

  /** Accepts {@code another} one-time token for the same device, as a new token on the controller. */
  public void addToken(String another) {
    tokens.add(another);
  }

  /** Makes the service send {@code ca} as the last certificate instead of its own. */
  public void sendCa(X509Certificate ca) {
    this.caToSend = ca;
  }

  @Override
  public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> responseObserver) {
    if (!tokens.contains(request.getToken())) {
      responseObserver.onError(
          Status.PERMISSION_DENIED.withDescription("unknown token").asRuntimeException());
      return;
    }
    if (!used.add(request.getToken())) {
      responseObserver.onError(
          Status.PERMISSION_DENIED.withDescription("token already used").asRuntimeException());
      return;
    }
    X509Certificate leaf = pki.signRequest(request.getCsrDer().toByteArray(), device);
    try {
      responseObserver.onNext(
          EnrollResponse.newBuilder()
              .setDevice(device)
              .setTarget("nftables")
              .setBundleSigningKey(ByteString.copyFrom(signingKey))
              .addCertificateChainDer(ByteString.copyFrom(leaf.getEncoded()))
              .addCertificateChainDer(ByteString.copyFrom(caToSend.getEncoded()))
              .build());
      responseObserver.onCompleted();
    } catch (CertificateEncodingException e) {
      responseObserver.onError(Status.INTERNAL.withCause(e).asRuntimeException());
    }
  }
}
