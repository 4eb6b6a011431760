package io.bulwark.controller.api;

import com.google.protobuf.ByteString;
import io.bulwark.controller.deliver.StatusSequences;
import io.bulwark.controller.pki.Enrollment;
import io.bulwark.proto.enrollment.v1.EnrollRequest;
import io.bulwark.proto.enrollment.v1.EnrollResponse;
import io.bulwark.proto.enrollment.v1.EnrollmentServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.security.cert.CertificateEncodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The enrollment call: a one-time token and a CSR in, a device certificate chain out. */
public final class EnrollmentGrpcService extends EnrollmentServiceGrpc.EnrollmentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(EnrollmentGrpcService.class);
  private static final int MAX_CSR_BYTES = 16 * 1024;
  private final Enrollment enrollment;
  private final ByteString bundleSigningKey;
  private final StatusSequences sequences;

  /**
   * @param bundleSigningKey DER SubjectPublicKeyInfo of the key that signs bundles, for agents to pin
   * @param sequences reset on each enrollment, for agents that number their reports from 1 (those
   *     that ignore the first sequence the response names)
   */
  public EnrollmentGrpcService(Enrollment enrollment, byte[] bundleSigningKey, StatusSequences sequences) {
    this.enrollment = enrollment;
    this.bundleSigningKey = ByteString.copyFrom(bundleSigningKey);
    this.sequences = sequences;
  }

  /**
   * The controller's clock in microseconds: above the sequences of any agent enrolled before (numbered
   * from its own enrollment's microseconds on, one per report).
   */
  private static long firstStatusSequence() {
    return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
  }

  @Override
  public void enroll(EnrollRequest request, StreamObserver<EnrollResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          if (request.getCsrDer().size() > MAX_CSR_BYTES) {
            throw new io.bulwark.controller.domain.InvalidRequestException("certificate request is too large");
          }
          Enrollment.Enrolled e = enrollment.enroll(request.getToken(), request.getCsrDer().toByteArray());
          sequences.reset(e.device());
          log.info("device {} enrolled, certificate valid until {}", e.device(), e.certificate().getNotAfter().toInstant());
          try {
            return EnrollResponse.newBuilder()
                .setDevice(e.device())
                .setTarget(e.target())
                .setBundleSigningKey(bundleSigningKey)
                .setFirstStatusSequence(firstStatusSequence())
                .addCertificateChainDer(ByteString.copyFrom(e.certificate().getEncoded()))
                .addCertificateChainDer(ByteString.copyFrom(e.ca().getEncoded()))
                .build();
          } catch (CertificateEncodingException ex) {
            throw new IllegalStateException(ex);
          }
        });
  }
}
