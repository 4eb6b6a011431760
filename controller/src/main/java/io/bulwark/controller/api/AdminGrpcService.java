package io.bulwark.controller.api;

import io.bulwark.controller.approve.Approvals;
import io.bulwark.controller.domain.Countermeasure;
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
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.proto.admin.v1.IngestResponse;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusResponse;
import io.bulwark.proto.admin.v1.ListIndicatorsRequest;
import io.bulwark.proto.admin.v1.ListIndicatorsResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API behind the {@code bulwark} CLI; every call checks the caller's role first. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);
  private final Enrollment enrollment;
  private final IndicatorCalls indicatorCalls;
  private final Approvals approvals;
  private final DeviceStore devices;
  private final String caPin;
  private final Supplier<String> agentAddress;
  private final io.bulwark.controller.domain.AuditLog audit;
  private final UserAuditCalls userAudit;
  private final CountermeasureCalls countermeasureCalls;
  private final io.bulwark.controller.report.ComplianceReport complianceReport;
  private final io.bulwark.controller.report.IntelMarkings intelMarkings;
  private final DeviceCalls deviceCalls;
  private io.bulwark.controller.ingest.taxii.FeedCalls feeds;
  private io.bulwark.controller.correlate.CorrelationCalls correlation;

  public AdminGrpcService(
      Enrollment enrollment,
      BundleIngestor ingestor,
      IndicatorViews indicatorViews,
      Approvals approvals,
      DeviceStore devices,
      String caPin,
      Supplier<String> agentAddress,
      io.bulwark.controller.domain.AuditLog audit,
      UserAuditCalls userAudit,
      CountermeasureCalls countermeasureCalls,
      io.bulwark.controller.report.ComplianceReport complianceReport,
      io.bulwark.controller.report.IntelMarkings intelMarkings) {
    this.enrollment = enrollment;
    this.intelMarkings = intelMarkings;
    this.indicatorCalls = new IndicatorCalls(ingestor, indicatorViews, audit);
    this.approvals = approvals;
    this.devices = devices;
    this.caPin = caPin;
    this.agentAddress = agentAddress;
    this.audit = audit;
    this.userAudit = userAudit;
    this.countermeasureCalls = countermeasureCalls;
    this.complianceReport = complianceReport;
    this.deviceCalls = new DeviceCalls(devices, audit);
  }

  /** The user and audit calls, built from their parts. */
  public static UserAuditCalls userAuditCalls(io.bulwark.controller.pki.Users users,
      io.bulwark.controller.domain.UserStore store, io.bulwark.controller.domain.AuditLog audit,
      Supplier<String> adminAddress, io.bulwark.controller.audit.AuditCheckpoints checkpoints,
      io.bulwark.controller.audit.AuditArchive archive) {
    return new UserAuditCalls(users, store, audit, adminAddress, checkpoints, archive);
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
          audit.append(user.name(), "token.create", token.device(), "expires " + token.expiresAt() + ", target " + target);
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
    StatusMapping.unary(observer, () -> indicatorCalls.ingest(request, AdminAccess.check(AdminAccess.Call.INGEST)));
  }

  @Override
  public StreamObserver<io.bulwark.proto.admin.v1.IngestChunk> ingestStream(StreamObserver<IngestResponse> observer) {
    return StreamedIngest.open(observer, () -> AdminAccess.check(AdminAccess.Call.INGEST),
        (upload, user) -> indicatorCalls.ingest(upload.bundle(), upload.source(), user));
  }

  @Override
  public void listIndicators(ListIndicatorsRequest request, StreamObserver<ListIndicatorsResponse> observer) {
    StatusMapping.unary(observer, () -> {
      ListIndicatorsResponse all = indicatorCalls.list(AdminAccess.check(AdminAccess.Call.LIST_INDICATORS));
      return request.getPending() ? correlation().pending(all) : all;
    });
  }

  @Override
  public void showIndicator(io.bulwark.proto.admin.v1.ShowIndicatorRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.IndicatorDetail> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.SHOW_INDICATOR);
      return correlation().detail(indicatorCalls.find(request.getId(), user));
    });
  }

  @Override
  public void approve(ApproveRequest request, StreamObserver<ApproveResponse> observer) {
    StatusMapping.unary(observer, () -> countermeasureCalls.approve(AdminAccess.check(AdminAccess.Call.APPROVE), request));
  }

  @Override
  public void listDeviceStatus(ListDeviceStatusRequest request, StreamObserver<ListDeviceStatusResponse> observer) {
    StatusMapping.unary(observer, () -> {
      AdminAccess.check(AdminAccess.Call.LIST_DEVICE_STATUS);
      return deviceCalls.status(request);
    });
  }

  @Override
  public void addUser(io.bulwark.proto.admin.v1.AddUserRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.AddUserResponse> observer) {
    StatusMapping.unary(observer, () -> userAudit.add(AdminAccess.check(AdminAccess.Call.ADD_USER), request));
  }

  @Override
  public void revokeUser(io.bulwark.proto.admin.v1.RevokeUserRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.RevokeUserResponse> observer) {
    StatusMapping.unary(observer, () -> userAudit.revoke(AdminAccess.check(AdminAccess.Call.REVOKE_USER), request));
  }

  @Override
  public void listUsers(io.bulwark.proto.admin.v1.ListUsersRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListUsersResponse> observer) {
    StatusMapping.unary(observer, () -> AdminAccess.checked(AdminAccess.Call.LIST_USERS, () -> userAudit.list()));
  }

  @Override
  public void listAudit(io.bulwark.proto.admin.v1.ListAuditRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListAuditResponse> observer) {
    StatusMapping.unary(observer, () -> AdminAccess.checked(AdminAccess.Call.LIST_AUDIT, () -> userAudit.listAudit(request)));
  }

  @Override
  public void verifyAudit(io.bulwark.proto.admin.v1.VerifyAuditRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.VerifyAuditResponse> observer) {
    StatusMapping.unary(observer, () -> AdminAccess.checked(AdminAccess.Call.VERIFY_AUDIT, () -> userAudit.verify()));
  }

  @Override
  public void archiveAudit(io.bulwark.proto.admin.v1.ArchiveAuditRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ArchiveAuditResponse> observer) {
    StatusMapping.unary(observer, () -> userAudit.archive(AdminAccess.check(AdminAccess.Call.ARCHIVE_AUDIT), request));
  }

  @Override
  public void confirmCountermeasure(io.bulwark.proto.admin.v1.CountermeasureRequest request,
      StreamObserver<ApproveResponse> observer) {
    StatusMapping.unary(observer,
        () -> countermeasureCalls.confirm(AdminAccess.check(AdminAccess.Call.CONFIRM_COUNTERMEASURE), request));
  }

  @Override
  public void withdrawCountermeasure(io.bulwark.proto.admin.v1.CountermeasureRequest request,
      StreamObserver<ApproveResponse> observer) {
    StatusMapping.unary(observer,
        () -> countermeasureCalls.withdraw(AdminAccess.check(AdminAccess.Call.WITHDRAW_COUNTERMEASURE), request));
  }

  @Override
  public void listCountermeasures(io.bulwark.proto.admin.v1.ListCountermeasuresRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListCountermeasuresResponse> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.LIST_COUNTERMEASURES);
      return countermeasureCalls.list(intelMarkings, user.role().mayReadTlpRed());
    });
  }

  @Override
  public void complianceReport(io.bulwark.proto.admin.v1.ComplianceReportRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ComplianceReportResponse> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.COMPLIANCE_REPORT);
      return CountermeasureCalls.report(complianceReport.build(
          request.getSinceMillis() == 0 ? null : java.time.Instant.ofEpochMilli(request.getSinceMillis()),
          request.getScope().isEmpty() ? null : Scope.parse(request.getScope())), intelMarkings,
          user.role().mayReadTlpRed());
    });
  }

  @Override
  public void addException(io.bulwark.proto.admin.v1.AddExceptionRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.DeviceExceptionEntry> observer) {
    StatusMapping.unary(observer,
        () -> countermeasureCalls.addException(AdminAccess.check(AdminAccess.Call.ADD_EXCEPTION), request));
  }

  @Override
  public void listExceptions(io.bulwark.proto.admin.v1.ListExceptionsRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListExceptionsResponse> observer) {
    StatusMapping.unary(observer, () -> {
      AdminAccess.check(AdminAccess.Call.LIST_EXCEPTIONS);
      return countermeasureCalls.listExceptions();
    });
  }

  @Override
  public void chase(io.bulwark.proto.admin.v1.ChaseRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ChaseResponse> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.CHASE);
      return countermeasureCalls.chase(complianceReport, request, intelMarkings, user.role().mayReadTlpRed());
    });
  }

  /** Enables agentless devices; {@code recompute} computes a new device's desired state. */
  public AdminGrpcService withOwners(io.bulwark.controller.domain.DeviceOwners owners, java.time.Clock clock) {
    deviceCalls.enableOwners(owners, clock);
    return this;
  }

  @Override
  public void setDeviceOwner(io.bulwark.proto.admin.v1.SetDeviceOwnerRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.SetDeviceOwnerResponse> observer) {
    StatusMapping.unary(observer, () -> deviceCalls.setOwner(AdminAccess.check(AdminAccess.Call.SET_DEVICE_OWNER), request));
  }

  /** Enables agentless devices; {@code recompute} computes a new device's desired state. */
  public AdminGrpcService withSshDevices(io.bulwark.controller.ssh.SshDevices devices,
      java.util.function.Consumer<String> recompute) {
    deviceCalls.enableSsh(devices, recompute);
    return this;
  }

  @Override
  public void addSshDevice(io.bulwark.proto.admin.v1.AddSshDeviceRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.AddSshDeviceResponse> observer) {
    StatusMapping.unary(observer, () -> deviceCalls.addSsh(AdminAccess.check(AdminAccess.Call.ADD_SSH_DEVICE), request));
  }

  /** Enables device revocation: {@code revoke} puts a device on the deny list and cuts its stream. */
  public AdminGrpcService withRevocation(java.util.function.Predicate<String> revoke) {
    deviceCalls.enableRevocation(revoke);
    return this;
  }

  @Override
  public void revokeDevice(io.bulwark.proto.admin.v1.RevokeDeviceRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.RevokeDeviceResponse> observer) {
    StatusMapping.unary(observer, () -> deviceCalls.revoke(AdminAccess.check(AdminAccess.Call.REVOKE_DEVICE), request));
  }

  /** Enables TAXII feeds. */
  public AdminGrpcService withFeeds(io.bulwark.controller.ingest.taxii.FeedCalls feeds) {
    this.feeds = feeds;
    return this;
  }

  private GuardCalls guard;

  /** Enables the guard list calls. */
  public AdminGrpcService withGuardList(io.bulwark.controller.approve.GuardList list,
      io.bulwark.controller.approve.GuardRails rails) {
    this.guard = new GuardCalls(list, rails, audit);
    return this;
  }

  private GuardCalls guard() {
    return enabled(guard, "the guard list is not enabled on this controller");
  }

  /** {@code part} when the controller was built with it; else a failure saying what is missing. */
  private static <T> T enabled(T part, String missing) {
    if (part == null) {
      throw new io.bulwark.controller.domain.BulwarkException(missing);
    }
    return part;
  }

  @Override
  public void listGuard(io.bulwark.proto.admin.v1.ListGuardRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListGuardResponse> observer) {
    StatusMapping.unary(observer, () -> {
      AdminAccess.check(AdminAccess.Call.LIST_GUARD);
      return guard().list();
    });
  }

  @Override
  public void putGuard(io.bulwark.proto.admin.v1.PutGuardRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.GuardEntry> observer) {
    StatusMapping.unary(observer, () -> guard().put(AdminAccess.check(AdminAccess.Call.PUT_GUARD), request));
  }

  @Override
  public void removeGuard(io.bulwark.proto.admin.v1.RemoveGuardRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.RemoveGuardResponse> observer) {
    StatusMapping.unary(observer, () -> guard().remove(AdminAccess.check(AdminAccess.Call.REMOVE_GUARD), request));
  }

  private io.bulwark.controller.ingest.taxii.FeedCalls feeds() {
    return enabled(feeds, "this controller does not poll TAXII feeds");
  }

  @Override
  public void addFeed(io.bulwark.proto.admin.v1.AddFeedRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.Feed> observer) {
    StatusMapping.unary(observer, () -> feeds().add(request, AdminAccess.check(AdminAccess.Call.ADD_FEED).name()));
  }

  @Override
  public void listFeeds(io.bulwark.proto.admin.v1.ListFeedsRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ListFeedsResponse> observer) {
    StatusMapping.unary(observer, () -> {
      AdminAccess.check(AdminAccess.Call.LIST_FEEDS);
      return feeds().list();
    });
  }

  @Override
  public void pollFeed(io.bulwark.proto.admin.v1.PollFeedRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.PollFeedResponse> observer) {
    StatusMapping.unary(observer,
        () -> feeds().poll(request.getName(), AdminAccess.check(AdminAccess.Call.POLL_FEED).name()));
  }

  @Override
  public void setFeedTrust(io.bulwark.proto.admin.v1.SetFeedTrustRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.Feed> observer) {
    StatusMapping.unary(observer,
        () -> feeds().setTrust(request, AdminAccess.check(AdminAccess.Call.SET_FEED_TRUST).name()));
  }

  /** Enables the correlation calls and {@code ListIndicators} with {@code pending}. */
  public AdminGrpcService withCorrelation(io.bulwark.controller.correlate.CorrelationCalls calls) {
    this.correlation = calls;
    return this;
  }

  private io.bulwark.controller.correlate.CorrelationCalls correlation() {
    return enabled(correlation, "this controller keeps no correlation index");
  }

  @Override
  public void relatedIndicators(io.bulwark.proto.admin.v1.RelatedIndicatorsRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.RelatedIndicatorsResponse> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.RELATED_INDICATORS);
      return correlation().related(request.getId(), user.role().mayReadTlpRed());
    });
  }

  @Override
  public void searchIndicators(io.bulwark.proto.admin.v1.SearchIndicatorsRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.SearchIndicatorsResponse> observer) {
    StatusMapping.unary(observer, () -> {
      Caller.User user = AdminAccess.check(AdminAccess.Call.SEARCH_INDICATORS);
      return correlation().search(request.getTerm(), user.role().mayReadTlpRed());
    });
  }

  @Override
  public void previewApproval(ApproveRequest request,
      StreamObserver<io.bulwark.proto.admin.v1.ApprovalImpact> observer) {
    StatusMapping.unary(observer, () -> {
      AdminAccess.check(AdminAccess.Call.PREVIEW_APPROVAL);
      return countermeasureCalls.preview(request);
    });
  }
}
