package io.bulwark.controller.api;

import io.bulwark.controller.approve.GuardList;
import io.bulwark.controller.approve.GuardRails;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.GuardEntry;
import io.bulwark.proto.admin.v1.ListGuardResponse;
import io.bulwark.proto.admin.v1.PutGuardRequest;
import io.bulwark.proto.admin.v1.RemoveGuardRequest;
import io.bulwark.proto.admin.v1.RemoveGuardResponse;

/** The guard list calls; the caller checked the role. Every change is audited. */
final class GuardCalls {
  private final GuardList list;
  private final GuardRails rails;
  private final AuditLog audit;

  GuardCalls(GuardList list, GuardRails rails, AuditLog audit) {
    this.list = list;
    this.rails = rails;
    this.audit = audit;
  }

  ListGuardResponse list() {
    var out = ListGuardResponse.newBuilder().addAllBuiltIn(rails.builtIn());
    list.list().forEach(e -> out.addEntries(toProto(e)));
    return out.build();
  }

  io.bulwark.proto.admin.v1.GuardEntry put(Caller.User user, PutGuardRequest request) {
    GuardEntry e = list.put(request.getValue(), request.getAllow() ? GuardEntry.Effect.ALLOW : GuardEntry.Effect.PROTECT,
        request.getReason(), user.name());
    audit.append(user.name(), "guard.put", e.value(), e.effect().label() + ": " + e.reason());
    return toProto(e);
  }

  RemoveGuardResponse remove(Caller.User user, RemoveGuardRequest request) {
    boolean removed = list.remove(request.getValue());
    if (removed) {
      audit.append(user.name(), "guard.remove", request.getValue(), "removed from the guard list");
    }
    return RemoveGuardResponse.newBuilder().setRemoved(removed).build();
  }

  private static io.bulwark.proto.admin.v1.GuardEntry toProto(GuardEntry e) {
    return io.bulwark.proto.admin.v1.GuardEntry.newBuilder().setValue(e.value()).setEffect(e.effect().label())
        .setReason(e.reason()).setAddedBy(e.addedBy()).setAddedAtMillis(e.addedAt().toEpochMilli()).build();
  }
}
