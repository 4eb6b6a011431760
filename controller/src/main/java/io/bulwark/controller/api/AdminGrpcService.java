package io.bulwark.controller.api;

import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.Scope;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.ingest.IndicatorViews;
import io.bulwark.controller.pki.Enrollment;
import io.bulwark.proto.admin.v1.AdminServiceGrpc;
import io.bulwark.proto.admin.v1.ApproveRequest;
import io.bulwark.proto.admin.v1.ApproveResponse;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenResponse;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusResponse;
import io.bulwark.proto.admin.v1.ListIndicatorsRequest;
import io.bulwark.proto.admin.v1.ListIndicatorsResponse;
import io.bulwark.proto.admin.v1.Rejection;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API behind the {@code bulwark} CLI; every call checks the caller's role first. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);
  private final Enrollment enrollment;
  private final BundleIngestor ingestor;
  private final IndicatorViews indicatorViews;
  private final Approvals approvals;
  private final DeviceStore devices;
  private final String caPin;
  private final Supplier<String> agentAddress;

  public AdminGrpcService(
      Enrollment enrollment,
      BundleIngestor ingestor,
      IndicatorViews indicatorViews,
      Approvals approvals,
      DeviceStore devices,
      String caPin,
      Supplier<String> agentAddress) {
    this.enrollment = enrollment;
    this.ingestor = ingestor;
    this.indicatorViews = indicatorViews;
    this.approvals = approvals;
    this.devices = devices;
    this.caPin = caPin;
    this.agentAddress = agentAddress;
  }

  @Override
  public void createEnrollmentToken(
      CreateEnrollmentTokenRequest request, StreamObserver<CreateEnrollmentTokenResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          Caller.User user = AdminAccess.check(AdminAccess.Call.CREATE_ENROLLMENT_TOKEN);
          String target = request.getTarget().isEmpty() ? "nftables" : request.getTarget();
          var token =
              enrollment.createToken(
                  request.getDevice(), target, request.getTagsList(), Duration.ofSeconds(request.getTtlSeconds()));
          log.info("user {} created an enrollment token for device {}, expires {}", user.name(), token.device(), token.expiresAt());
          return CreateEnrollmentTokenResponse.newBuilder()
              .setToken(token.token())
              .setDevice(token.device())
              .setExpiresAtMillis(token.expiresAt().toEpochMilli())
              .setCaPin(caPin)
              .setControllerAddress(agentAddress.get())
              .build();
        });
  }

  @Override
  public void ingest(IngestRequest request, StreamObserver<IngestResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          Caller.User user = AdminAccess.check(AdminAccess.Call.INGEST);
          BundleIngestor.Report report = ingestor.ingest(request.getBundleJson().newInput(), request.getSource());
          log.info("user {} ingested {}: {} stored, {} unchanged, {} rejected", user.name(), request.getSource(),
              report.stored(), report.unchanged(), report.rejected().size());
          var out =
              IngestResponse.newBuilder()
                  .setStored(report.stored())
                  .setUnchanged(report.unchanged())
                  .setOtherObjects(report.otherObjects());
          report.rejected().forEach(r -> out.addRejected(Rejection.newBuilder().setObjectId(r.objectId()).setReason(r.reason())));
          return out.build();
        });
  }

  @Override
  public void listIndicators(ListIndicatorsRequest request, StreamObserver<ListIndicatorsResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          AdminAccess.check(AdminAccess.Call.LIST_INDICATORS);
          var out = ListIndicatorsResponse.newBuilder();
          for (IndicatorViews.View v : indicatorViews.list()) {
            out.addIndicators(
                io.bulwark.proto.admin.v1.Indicator.newBuilder()
                    .setId(v.indicator().id())
                    .setName(v.indicator().name())
                    .setPattern(v.indicator().pattern())
                    .setStatus(v.status())
                    .setModified(v.indicator().modified().toString())
                    .setValidUntil(v.indicator().validUntil() == null ? "" : v.indicator().validUntil().toString())
                    .setDetail(v.detail()));
          }
          return out.build();
        });
  }

  @Override
  public void approve(ApproveRequest request, StreamObserver<ApproveResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          Caller.User user = AdminAccess.check(AdminAccess.Call.APPROVE);
          if (request.getAction() != io.bulwark.proto.admin.v1.Action.ACTION_BLOCK) {
            throw new InvalidRequestException("action must be block");
          }
          Approvals.Approved approved =
              approvals.approve(
                  request.getIndicatorIdsList(), Countermeasure.Action.BLOCK, Scope.parse(request.getScope()),
                  Duration.ofSeconds(request.getExpiresInSeconds()), request.getReason(), user.name());
          log.info("user {} approved countermeasure {} ({} indicators, scope {}); {} devices get a new generation",
              user.name(), approved.countermeasure().id(), approved.countermeasure().indicatorIds().size(),
              approved.countermeasure().scope().text(), approved.devicesChanged().size());
          return ApproveResponse.newBuilder()
              .setCountermeasureId(approved.countermeasure().id())
              .addAllDevices(approved.devicesChanged())
              .build();
        });
  }

  @Override
  public void listDeviceStatus(ListDeviceStatusRequest request, StreamObserver<ListDeviceStatusResponse> observer) {
    StatusMapping.unary(
        observer,
        () -> {
          AdminAccess.check(AdminAccess.Call.LIST_DEVICE_STATUS);
          var out = ListDeviceStatusResponse.newBuilder();
          for (Device d : devices.list()) {
            out.addDevices(
                DeviceStatus.newBuilder()
                    .setDevice(d.name())
                    .setState(d.state().label())
                    .setDesiredGeneration(d.desiredGeneration())
                    .setAppliedGeneration(d.report().appliedGeneration())
                    .setLastSeenMillis(d.lastSeen() == null ? 0 : d.lastSeen().toEpochMilli())
                    .setError(d.state() == io.bulwark.controller.domain.DeviceState.FAILED || d.state() == io.bulwark.controller.domain.DeviceState.DRIFTED ? d.report().error() : "")
                    .setTarget(d.target())
                    .addAllTags(d.tags())
                    .setDesiredDigest(d.desiredDigest())
                    .setAppliedDigest(d.report().appliedDigest()));
          }
          return out.build();
        });
  }
}
