package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.controller.pki.PemFiles;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.proto.admin.v1.*;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every admin call against every role, over real mTLS with real user certificates. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRolesIT {
  private Path work;
  private ControllerMain controller;
  private final Map<Role, Path> credentials = new EnumMap<>(Role.class);

  private static final Map<AdminAccess.Call, Consumer<AdminServiceGrpc.AdminServiceBlockingStub>> CALLS = Map.ofEntries(
      Map.entry(AdminAccess.Call.CREATE_ENROLLMENT_TOKEN, s -> s.createEnrollmentToken(
          CreateEnrollmentTokenRequest.newBuilder().setDevice("probe-device").build())),
      Map.entry(AdminAccess.Call.INGEST, s -> s.ingest(IngestRequest.newBuilder().setSource("probe").setBundleJson(
          ByteString.copyFromUtf8("{\"type\":\"bundle\",\"id\":\"bundle--6f0c3b7e-0b5e-4d55-9d8f-0c1b1b1b1b1b\",\"objects\":[]}")).build())),
      Map.entry(AdminAccess.Call.LIST_INDICATORS, s -> s.listIndicators(ListIndicatorsRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.APPROVE, s -> s.approve(ApproveRequest.newBuilder().addIndicatorIds("indicator--nope")
          .setAction(Action.ACTION_BLOCK).setScope("all").build())),
      Map.entry(AdminAccess.Call.LIST_DEVICE_STATUS, s -> s.listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.ADD_USER, s -> s.addUser(AddUserRequest.newBuilder().setName("probe-user").setRole("auditor").build())),
      Map.entry(AdminAccess.Call.REVOKE_USER, s -> s.revokeUser(RevokeUserRequest.newBuilder().setName("nobody").build())),
      Map.entry(AdminAccess.Call.LIST_USERS, s -> s.listUsers(ListUsersRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.LIST_AUDIT, s -> s.listAudit(ListAuditRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.VERIFY_AUDIT, s -> s.verifyAudit(VerifyAuditRequest.getDefaultInstance())),
      // A hash that is none: refused as invalid once allowed, and nothing is archived.
      Map.entry(AdminAccess.Call.ARCHIVE_AUDIT, s -> s.archiveAudit(io.bulwark.proto.admin.v1.ArchiveAuditRequest
          .newBuilder().setThroughSequence(1).setThroughHash("nope").setFileSha256("nope").build())),
      Map.entry(AdminAccess.Call.CONFIRM_COUNTERMEASURE, s -> s.confirmCountermeasure(
          CountermeasureRequest.newBuilder().setCountermeasureId(999).build())),
      Map.entry(AdminAccess.Call.WITHDRAW_COUNTERMEASURE, s -> s.withdrawCountermeasure(
          CountermeasureRequest.newBuilder().setCountermeasureId(999).build())),
      Map.entry(AdminAccess.Call.LIST_COUNTERMEASURES, s -> s.listCountermeasures(ListCountermeasuresRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.COMPLIANCE_REPORT, s -> s.complianceReport(ComplianceReportRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.ADD_EXCEPTION, s -> s.addException(AddExceptionRequest.newBuilder().setCountermeasureId(999)
          .setDevice("nope").setReason("r").setExpiresInSeconds(60).build())),
      Map.entry(AdminAccess.Call.LIST_EXCEPTIONS, s -> s.listExceptions(ListExceptionsRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.CHASE, s -> s.chase(ChaseRequest.newBuilder().setAfterSeconds(3600).build())),
      Map.entry(AdminAccess.Call.ADD_SSH_DEVICE, s -> s.addSshDevice(AddSshDeviceRequest.newBuilder().setName("probe-gear")
          .setHost("192.0.2.1").setPort(22).setUser("u").setPlatform("junos").build())),
      Map.entry(AdminAccess.Call.REVOKE_DEVICE, s -> s.revokeDevice(RevokeDeviceRequest.newBuilder().setDevice("nope").build())),
      Map.entry(AdminAccess.Call.ADD_FEED, s -> s.addFeed(AddFeedRequest.newBuilder().setName("probe-feed")
          .setUrl("not a url").setCollection("c").build())),
      Map.entry(AdminAccess.Call.LIST_FEEDS, s -> s.listFeeds(ListFeedsRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.POLL_FEED, s -> s.pollFeed(PollFeedRequest.newBuilder().setName("nope").build())),
      Map.entry(AdminAccess.Call.RELATED_INDICATORS, s -> s.relatedIndicators(
          io.bulwark.proto.admin.v1.RelatedIndicatorsRequest.newBuilder().setId("indicator--00000000-0000-4000-8000-000000000000").build())),
      Map.entry(AdminAccess.Call.SEARCH_INDICATORS, s -> s.searchIndicators(
          io.bulwark.proto.admin.v1.SearchIndicatorsRequest.newBuilder().setTerm("198.51.100.7").build())),
      Map.entry(AdminAccess.Call.PREVIEW_APPROVAL, s -> s.previewApproval(ApproveRequest.newBuilder()
          .addIndicatorIds("indicator--nope").setAction(io.bulwark.proto.admin.v1.Action.ACTION_BLOCK).setScope("all").build())),
      Map.entry(AdminAccess.Call.SET_DEVICE_OWNER, s -> s.setDeviceOwner(io.bulwark.proto.admin.v1.SetDeviceOwnerRequest
          .newBuilder().setDevice("nope").setOwner("net team").build())),
      Map.entry(AdminAccess.Call.SHOW_INDICATOR, s -> s.showIndicator(io.bulwark.proto.admin.v1.ShowIndicatorRequest
          .newBuilder().setId("indicator--00000000-0000-4000-8000-000000000000").build())),
      Map.entry(AdminAccess.Call.LIST_GUARD, s -> s.listGuard(ListGuardRequest.getDefaultInstance())),
      Map.entry(AdminAccess.Call.PUT_GUARD, s -> s.putGuard(PutGuardRequest.newBuilder().setValue("probe.example")
          .setReason("probe").build())),
      Map.entry(AdminAccess.Call.REMOVE_GUARD, s -> s.removeGuard(RemoveGuardRequest.newBuilder()
          .setValue("probe.example").build())),
      Map.entry(AdminAccess.Call.SET_FEED_TRUST, s -> s.setFeedTrust(SetFeedTrustRequest.newBuilder()
          .setName("nope").setTrust("high").build())));

  @BeforeAll
  void start() throws Exception {
    work = java.nio.file.Files.createTempDirectory("bulwark-roles-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)), MutableClock.at("2026-12-04T10:00:00Z")).start();
    try (AdminClient admin = AdminClient.open(work)) {
      for (Role role : List.of(Role.OPERATOR, Role.CSIRT, Role.AUDITOR, Role.ADMIN)) {
        var r = admin.stub().addUser(AddUserRequest.newBuilder().setName("user-" + role.label()).setRole(role.label()).build());
        Path file = work.resolve(role.label() + ".pem");
        PemFiles.writePrivate(file, "# admin_address=" + r.getAdminAddress() + "\n" + r.getCredentialsPem());
        credentials.put(role, file);
      }
    }
  }

  @AfterAll
  void stop() {
    if (controller != null) {
      controller.close();
    }
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  @Test
  void everyCall_isTested() {
    assertEquals(AdminAccess.Call.values().length, CALLS.size());
    java.util.Set<String> rpcs = new java.util.TreeSet<>();
    AdminServiceGrpc.getServiceDescriptor().getMethods()
        .forEach(m -> rpcs.add(io.grpc.MethodDescriptor.extractBareMethodName(m.getFullMethodName())));
    java.util.Set<String> checked = new java.util.TreeSet<>(List.of("IngestStream")); // the INGEST call, streamed
    for (AdminAccess.Call call : AdminAccess.Call.values()) {
      StringBuilder name = new StringBuilder();
      for (String word : call.name().split("_")) {
        name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
      }
      checked.add(name.toString());
    }
    assertEquals(rpcs, checked, "every RPC of the admin service has a call in AdminAccess and a probe here");
  }

  @Test
  void roles_haveLeastPrivilege_asTheyAreDocumented() {
    for (AdminAccess.Call call : AdminAccess.Call.values()) {
      var allowed = AdminAccess.allowed(call);
      assertTrue(allowed.contains(Role.LOCAL), call + ": the controller host may make every call");
      boolean userCall = call.name().endsWith("_USER") || call == AdminAccess.Call.LIST_USERS;
      if (!userCall) {
        assertTrue(!allowed.contains(Role.ADMIN), call + ": admins manage users, nothing else");
      }
      if (call.name().startsWith("LIST_") || call.name().startsWith("SHOW_") || call.name().startsWith("SEARCH_")
          || call.name().startsWith("RELATED_") || call.name().endsWith("_REPORT") || call.name().startsWith("VERIFY_")
          || call == AdminAccess.Call.CHASE) {
        continue;
      }
      assertTrue(!allowed.contains(Role.AUDITOR), call + ": auditors only read");
    }
    assertEquals(java.util.Set.of(Role.CSIRT, Role.LOCAL), AdminAccess.allowed(AdminAccess.Call.APPROVE));
    assertEquals(java.util.Set.of(Role.CSIRT, Role.LOCAL), AdminAccess.allowed(AdminAccess.Call.INGEST));
    assertEquals(java.util.Set.of(Role.OPERATOR, Role.LOCAL), AdminAccess.allowed(AdminAccess.Call.CREATE_ENROLLMENT_TOKEN));
    assertEquals(java.util.Set.of(Role.LOCAL), AdminAccess.allowed(AdminAccess.Call.ARCHIVE_AUDIT));
  }

  @Test
  void localRole_cannotBeGivenToAUser() {
    try (AdminClient local = AdminClient.open(work)) {
      var e = assertThrows(StatusRuntimeException.class, () -> local.stub().addUser(
          AddUserRequest.newBuilder().setName("sneaky").setRole("local").build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }
  }

  @Test
  void everyCall_againstEveryRole_isAllowedExactlyAsTheTableSays() {
    for (Role role : Role.values()) {
      try (AdminClient client = role == Role.LOCAL ? AdminClient.open(work)
          : AdminClient.openWithCredentials(credentials.get(role), work)) {
        for (var call : CALLS.entrySet()) {
          Status.Code code = codeOf(() -> call.getValue().accept(client.stub()));
          boolean allowed = AdminAccess.allowed(call.getKey()).contains(role);
          if (allowed) {
            assertNotEquals(Status.Code.PERMISSION_DENIED, code, role + " must be allowed " + call.getKey());
          } else {
            assertEquals(Status.Code.PERMISSION_DENIED, code, role + " must be refused " + call.getKey());
          }
        }
      }
    }
  }

  @Test
  void revokedUser_isRefusedAtTheNextCall() throws Exception {
    Path file;
    try (AdminClient admin = AdminClient.open(work)) {
      var r = admin.stub().addUser(AddUserRequest.newBuilder().setName("leaver").setRole("csirt").build());
      file = work.resolve("leaver.pem");
      PemFiles.writePrivate(file, "# admin_address=" + r.getAdminAddress() + "\n" + r.getCredentialsPem());
      try (AdminClient leaver = AdminClient.openWithCredentials(file, work)) {
        leaver.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance());
        assertEquals(1, admin.stub().revokeUser(RevokeUserRequest.newBuilder().setName("leaver").build()).getRevokedCertificates());
        var e = assertThrows(StatusRuntimeException.class,
            () -> leaver.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      }
      var audit = admin.stub().listAudit(ListAuditRequest.getDefaultInstance()).getEntriesList();
      assertTrue(audit.stream().anyMatch(a -> a.getAction().equals("user.revoke") && a.getSubject().equals("leaver")));
      assertTrue(admin.stub().verifyAudit(VerifyAuditRequest.getDefaultInstance()).getIntact());
    }
  }

  @Test
  void tlpRedIndicator_underABundleDefinedMarking_isShownToTheCsirt_andWithheldButCountedForOthers() {
    String red = "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a01\","
        + "\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"partner source\","
        + "\"pattern\":\"[ipv4-addr:value = '203.0.113.66']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\","
        + "\"object_marking_refs\":[\"marking-definition--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a03\"]}";
    // The partner defines TLP:RED under an id of its own, in the same bundle.
    String marking = "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
        + "\"id\":\"marking-definition--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a03\",\"created\":\"2026-01-01T00:00:00Z\","
        + "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
    String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a02\",\"objects\":["
        + red + "," + marking + "]}";
    try (AdminClient csirt = AdminClient.openWithCredentials(credentials.get(Role.CSIRT), work);
        AdminClient auditor = AdminClient.openWithCredentials(credentials.get(Role.AUDITOR), work)) {
      assertEquals(1, csirt.stub().ingest(IngestRequest.newBuilder().setSource("partner")
          .setBundleJson(ByteString.copyFromUtf8(bundle)).build()).getStored());
      var seen = csirt.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance()).getIndicatorsList().stream()
          .filter(i -> i.getTlp().equals("TLP:RED")).toList();
      assertEquals(1, seen.size());
      assertTrue(seen.get(0).getPattern().contains("203.0.113.66"));
      var hidden = auditor.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance()).getIndicatorsList().stream()
          .filter(i -> i.getTlp().equals("TLP:RED")).toList();
      assertEquals(1, hidden.size(), "still counted");
      assertTrue(!hidden.get(0).getPattern().contains("203.0.113") && !hidden.get(0).getName().contains("partner"),
          hidden.get(0).toString());

      csirt.stub().approve(ApproveRequest.newBuilder().addIndicatorIds("indicator--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a01")
          .setAction(Action.ACTION_BLOCK).setScope("all").setReason("partner tip: 203.0.113.66").build());
      var forCsirt = csirt.stub().complianceReport(ComplianceReportRequest.getDefaultInstance()).getCountermeasures(0);
      var forAuditor = auditor.stub().complianceReport(ComplianceReportRequest.getDefaultInstance()).getCountermeasures(0);
      assertEquals(List.of(1, 1, "partner tip: 203.0.113.66"),
          List.of(forCsirt.getIndicators(), forCsirt.getIndicatorsTlpRed(), forCsirt.getReason()));
      assertEquals(List.of(1, 1, "(withheld: TLP:RED intel; the csirt role can read it)"),
          List.of(forAuditor.getIndicators(), forAuditor.getIndicatorsTlpRed(), forAuditor.getReason()));
      assertEquals("partner tip: 203.0.113.66", csirt.stub().listCountermeasures(
          ListCountermeasuresRequest.getDefaultInstance()).getCountermeasures(0).getReason());
      assertEquals("(withheld: TLP:RED intel; the csirt role can read it)", auditor.stub().listCountermeasures(
          ListCountermeasuresRequest.getDefaultInstance()).getCountermeasures(0).getReason());

      // A marking whose definition has not arrived (yet) is withheld like TLP:RED.
      String unknown = red.replace("0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a01", "0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a04")
          .replace("0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a03", "0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a05")
          .replace("203.0.113.66", "203.0.113.67");
      csirt.stub().ingest(IngestRequest.newBuilder().setSource("partner").setBundleJson(ByteString.copyFromUtf8(
          "{\"type\":\"bundle\",\"id\":\"bundle--0c8b4c3e-1f8e-4b6e-9a53-8e8e2c1f0a06\",\"objects\":[" + unknown
              + "]}")).build());
      var pending = auditor.stub().listIndicators(ListIndicatorsRequest.getDefaultInstance()).getIndicatorsList().stream()
          .filter(i -> i.getId().endsWith("0a04")).findFirst().orElseThrow();
      assertEquals("marking unknown (withheld as TLP:RED)", pending.getTlp());
      assertTrue(!pending.getPattern().contains("203.0.113") && !pending.getName().contains("partner"), pending.toString());
    }
  }

  @Test
  void streamedIngest_isCheckedAsIngest() throws Exception {
    String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--6f0c3b7e-0b5e-4d55-9d8f-0c1b1b1b1b1c\",\"objects\":[]}";
    Path file = work.resolve("empty-bundle.json");
    java.nio.file.Files.writeString(file, bundle);
    for (Role role : Role.values()) {
      try (AdminClient client = role == Role.LOCAL ? AdminClient.open(work)
          : AdminClient.openWithCredentials(credentials.get(role), work)) {
        Status.Code code = codeOf(() -> io.bulwark.controller.cli.BundleUploadAccess.send(client, file));
        assertEquals(AdminAccess.allowed(AdminAccess.Call.INGEST).contains(role) ? Status.Code.OK
            : Status.Code.PERMISSION_DENIED, code, role.toString());
      }
    }
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
