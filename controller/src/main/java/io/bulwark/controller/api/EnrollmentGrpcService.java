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
   * @param sequences reset on each enrollment: the new agent numbers its reports from 1
   */
  private final java.util.concurrent.atomic.AtomicLong lastFirst = new java.util.concurrent.atomic.AtomicLong();

  public EnrollmentGrpcService(Enrollment enrollment, byte[] bundleSigningKey, StatusSequences sequences) {
    this.enrollment = enrollment;
    this.bundleSigningKey = ByteString.copyFrom(bundleSigningKey);
    this.sequences = sequences;
  }

  /**
   * The controller's clock in microseconds: above the sequences of any agent enrolled before
   * (numbered from its own enrollment's microseconds on, one per report), and never below one
   * handed out before by this process.
   */
  private long firstStatusSequence() {
    java.time.Instant now = java.time.Instant.now();
    long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    return lastFirst.accumulateAndGet(micros, (was, at) -> Math.max(was + 1, at));
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
