package io.bulwark.controller.api;

import io.bulwark.controller.audit.AuditVerifier;
import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.UserStore;
import io.bulwark.controller.pki.IssuedIdentity;
import io.bulwark.controller.pki.Users;
import io.bulwark.proto.admin.v1.AddUserRequest;
import io.bulwark.proto.admin.v1.AddUserResponse;
import io.bulwark.proto.admin.v1.ArchiveAuditRequest;
import io.bulwark.proto.admin.v1.ArchiveAuditResponse;
import io.bulwark.proto.admin.v1.ListAuditRequest;
import io.bulwark.proto.admin.v1.ListAuditResponse;
import io.bulwark.proto.admin.v1.ListUsersResponse;
import io.bulwark.proto.admin.v1.RevokeUserRequest;
import io.bulwark.proto.admin.v1.RevokeUserResponse;
import io.bulwark.proto.admin.v1.User;
import io.bulwark.proto.admin.v1.VerifyAuditResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** The user and audit calls of the admin API; {@link AdminGrpcService} checks roles first. */
final class UserAuditCalls {
  private final Users users;
  private final UserStore userStore;
  private final AuditLog audit;
  private final Supplier<String> adminAddress;
  private final io.bulwark.controller.audit.AuditCheckpoints checkpoints;
  private final io.bulwark.controller.audit.AuditArchive archive;

  UserAuditCalls(Users users, UserStore userStore, AuditLog audit, Supplier<String> adminAddress,
      io.bulwark.controller.audit.AuditCheckpoints checkpoints, io.bulwark.controller.audit.AuditArchive archive) {
    this.users = users;
    this.userStore = userStore;
    this.audit = audit;
    this.adminAddress = adminAddress;
    this.checkpoints = checkpoints;
    this.archive = archive;
  }

  AddUserResponse add(Caller.User caller, AddUserRequest request) {
    IssuedIdentity id = users.add(request.getName(), request.getRole(), Duration.ofSeconds(request.getValiditySeconds()));
    audit.append(caller.name(), "user.add", request.getName(),
        "role " + request.getRole() + ", valid until " + id.certificate().getNotAfter().toInstant());
    return AddUserResponse.newBuilder()
        .setCredentialsPem(pem(id))
        .setNotAfterMillis(id.certificate().getNotAfter().getTime())
        .setAdminAddress(adminAddress.get())
        .build();
  }

  RevokeUserResponse revoke(Caller.User caller, RevokeUserRequest request) {
    int revoked = users.revoke(request.getName());
    audit.append(caller.name(), "user.revoke", request.getName(), revoked + " certificates revoked");
    return RevokeUserResponse.newBuilder().setRevokedCertificates(revoked).build();
  }

  ListUsersResponse list() {
    var out = ListUsersResponse.newBuilder();
    for (UserStore.UserCertificate c : userStore.list()) {
      out.addUsers(User.newBuilder().setName(c.name()).setRole(c.role()).setCreatedAtMillis(c.createdAt().toEpochMilli())
          .setNotAfterMillis(c.notAfter().toEpochMilli())
          .setRevokedAtMillis(c.revokedAt() == null ? 0 : c.revokedAt().toEpochMilli()));
    }
    return out.build();
  }

  ListAuditResponse listAudit(ListAuditRequest request) {
    int limit = request.getLimit() <= 0 ? 1000 : Math.min(request.getLimit(), 10_000);
    var out = ListAuditResponse.newBuilder();
    for (AuditEntry e : audit.list(request.getAfterSequence(), limit)) {
      out.addEntries(io.bulwark.proto.admin.v1.AuditEntry.newBuilder().setSequence(e.sequence())
          .setAtMillis(e.at().toEpochMilli()).setActor(e.actor()).setAction(e.action()).setSubject(e.subject())
          .setDetails(e.details()).setPreviousHash(e.previousHash()).setHash(e.hash()));
    }
    return out.build();
  }

  VerifyAuditResponse verify() {
    AuditVerifier.Result r = new AuditVerifier(audit).verify();
    var out = VerifyAuditResponse.newBuilder().setIntact(r.intact()).setEntriesChecked(r.entriesChecked())
        .setHeadHash(r.headHash()).setFirstBadSequence(r.firstBadSequence()).setProblem(r.problem())
        .setArchivedThrough(r.archived().sequence()).setArchivedHash(r.archived().hash());
    for (var a : checkpoints.archives()) {
      out.addArchives(io.bulwark.proto.admin.v1.AuditArchive.newBuilder().setFirstSequence(a.first())
          .setThroughSequence(a.through()).setThroughHash(a.hash()).setFileSha256(a.fileSha256()));
    }
    if (r.intact()) {
      var problem = checkpoints.verify();
      if (problem.isPresent()) {
        out.setIntact(false).setProblem(problem.get());
      } else {
        // Only an intact chain is signed: a checkpoint never vouches for a tampered one.
        checkpoints.checkpoint(r.lastChecked());
      }
    }
    return out.build();
  }

  ArchiveAuditResponse archive(Caller.User caller, ArchiveAuditRequest request) {
    var done = archive.archive(caller.name(), request.getFirstSequence(), request.getPreviousHash(),
        request.getThroughSequence(), request.getThroughHash(), request.getFileSha256());
    return ArchiveAuditResponse.newBuilder().setFirstSequence(done.first()).setThroughSequence(done.through())
        .setRemoved(done.removed()).build();
  }

  private static String pem(IssuedIdentity id) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      w.writeObject(new JcaPKCS8Generator(id.key(), null));
      w.writeObject(id.certificate());
      w.writeObject(id.ca());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
