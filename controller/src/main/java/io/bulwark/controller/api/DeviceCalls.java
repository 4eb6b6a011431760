package io.bulwark.controller.api;

import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.domain.Device;
import io.bulwark.controller.domain.DeviceState;
import io.bulwark.controller.domain.DeviceStore;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.UnknownDeviceException;
import io.bulwark.controller.ssh.HostKeys;
import io.bulwark.controller.ssh.SshDevices;
import io.bulwark.proto.admin.v1.AddSshDeviceRequest;
import io.bulwark.proto.admin.v1.AddSshDeviceResponse;
import io.bulwark.proto.admin.v1.DeviceStatus;
import io.bulwark.proto.admin.v1.ListDeviceStatusResponse;
import io.bulwark.proto.admin.v1.RevokeDeviceRequest;
import io.bulwark.proto.admin.v1.RevokeDeviceResponse;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The device calls of the admin API: status, agentless devices, revocation. The caller checked the role. */
final class DeviceCalls {
  private final DeviceStore devices;
  private final AuditLog audit;
  private volatile SshDevices sshDevices;
  private volatile Consumer<String> recompute = name -> {};
  private volatile Predicate<String> revoke = name -> false;
  private volatile io.bulwark.controller.domain.DeviceOwners owners;
  private volatile java.time.Clock clock;

  DeviceCalls(DeviceStore devices, AuditLog audit) {
    this.devices = devices;
    this.audit = audit;
  }

  void enableSsh(SshDevices sshDevices, Consumer<String> recompute) {
    this.sshDevices = sshDevices;
    this.recompute = recompute;
  }

  void enableOwners(io.bulwark.controller.domain.DeviceOwners owners, java.time.Clock clock) {
    this.clock = clock;
    this.owners = owners;
  }

  io.bulwark.proto.admin.v1.SetDeviceOwnerResponse setOwner(Caller.User user,
      io.bulwark.proto.admin.v1.SetDeviceOwnerRequest request) {
    if (owners == null) {
      throw new BulwarkException("this controller does not keep device owners");
    }
    if (devices.find(request.getDevice()).isEmpty()) {
      throw new UnknownDeviceException("no device named '" + request.getDevice() + "'");
    }
    String owner = request.getOwner().strip();
    if (owner.isEmpty() || owner.length() > 256 || owner.codePoints().anyMatch(Character::isISOControl)) {
      throw new io.bulwark.controller.domain.InvalidRequestException(
          "owner must be 1 to 256 characters without control characters");
    }
    owners.set(request.getDevice(), owner, user.name(), clock.instant());
    audit.append(user.name(), "device.owner", request.getDevice(), "owner: " + owner);
    return io.bulwark.proto.admin.v1.SetDeviceOwnerResponse.getDefaultInstance();
  }

  void enableRevocation(Predicate<String> revoke) {
    this.revoke = revoke;
  }

  ListDeviceStatusResponse status() {
    return status(io.bulwark.proto.admin.v1.ListDeviceStatusRequest.getDefaultInstance());
  }

  /** All devices, or those a filter of the request picks (answered by indexed queries). */
  ListDeviceStatusResponse status(io.bulwark.proto.admin.v1.ListDeviceStatusRequest request) {
    if (request.getBelowGeneration() != 0 && request.getLackingCountermeasure() != 0) {
      throw new io.bulwark.controller.domain.InvalidRequestException(
          "give either a generation or a countermeasure to filter by, not both");
    }
    java.util.List<Device> chosen = request.getBelowGeneration() != 0 ? devices.belowGeneration(request.getBelowGeneration())
        : request.getLackingCountermeasure() != 0 ? devices.lacking(request.getLackingCountermeasure())
        : devices.list();
    var out = ListDeviceStatusResponse.newBuilder();
    for (Device d : chosen) {
      boolean showError = d.state() == DeviceState.FAILED || d.state() == DeviceState.DRIFTED;
      out.addDevices(DeviceStatus.newBuilder()
          .setDevice(d.name())
          .setState(d.state().label())
          .setDesiredGeneration(d.desiredGeneration())
          .setAppliedGeneration(d.report().appliedGeneration())
          .setLastSeenMillis(d.lastSeen() == null ? 0 : d.lastSeen().toEpochMilli())
          .setError(showError ? d.report().error() : "")
          .setTarget(d.target())
          .addAllTags(d.tags())
          .setDesiredDigest(d.desiredDigest())
          .setAppliedDigest(d.report().appliedDigest()));
    }
    return out.build();
  }

  AddSshDeviceResponse addSsh(Caller.User user, AddSshDeviceRequest request) {
    SshDevices ssh = sshDevices;
    if (ssh == null) {
      throw new BulwarkException("this controller does not manage agentless devices");
    }
    boolean confirm = !request.getConfirmHostKey().isBlank();
    if (confirm == !request.getHostKey().isBlank()) {
      throw new InvalidRequestException("give either the host key to pin or its SHA256 fingerprint to confirm on first contact");
    }
    byte[] password = request.getPassword().isEmpty() ? null : request.getPassword().toByteArray();
    String fingerprint;
    try {
      if (confirm) {
        ssh.addToConfirm(request.getName(), request.getHost(), request.getPort(), request.getUser(), request.getPlatform(),
            request.getConfirmHostKey(), request.getPrivateKey().toByteArray(), password, request.getTagsList());
        fingerprint = request.getConfirmHostKey().trim();
      } else {
        ssh.add(request.getName(), request.getHost(), request.getPort(), request.getUser(), request.getPlatform(),
            request.getHostKey(), request.getPrivateKey().toByteArray(), password, request.getTagsList());
        fingerprint = HostKeys.fingerprint(HostKeys.parse(request.getHostKey()));
      }
    } finally {
      if (password != null) {
        java.util.Arrays.fill(password, (byte) 0);
      }
    }
    audit.append(user.name(), "device.add-ssh", request.getName(), request.getUser() + "@" + request.getHost() + ":"
        + request.getPort() + " " + request.getPlatform() + ", host key " + fingerprint
        + (confirm ? " to confirm on first contact" : " pinned") + (password != null ? ", with a password" : ""));
    recompute.accept(request.getName());
    return AddSshDeviceResponse.newBuilder().setDevice(request.getName()).setHostKeyFingerprint(fingerprint)
        .setConfirmOnFirstContact(confirm).build();
  }

  RevokeDeviceResponse revoke(Caller.User user, RevokeDeviceRequest request) {
    if (!revoke.test(request.getDevice())) {
      throw new UnknownDeviceException("no device named '" + request.getDevice() + "'");
    }
    audit.append(user.name(), "device.revoke", request.getDevice(), "certificates refused from now on: " + request.getReason());
    return RevokeDeviceResponse.newBuilder().setDevice(request.getDevice()).build();
  }
}
