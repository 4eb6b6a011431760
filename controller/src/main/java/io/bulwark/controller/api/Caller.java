package io.bulwark.controller.api;

import io.grpc.Context;

/**
 * Who is calling, as established from the peer certificate by {@link PeerAuthInterceptor}.
 * Services read it from the gRPC {@link Context}; never from a field of a message.
 */
public sealed interface Caller {
  Context.Key<Caller> KEY = Context.key("bulwark-caller");

  /** The caller of the current call; throws when the interceptor did not set one. */
  static Caller current() {
    Caller c = KEY.get();
    if (c == null) {
      throw new IllegalStateException("no authenticated caller on this call");
    }
    return c;
  }

  /**
   * An agent, named by its certificate; {@code stillAllowed} asks again whether that certificate is
   * accepted (not revoked, not replaced by a newer enrollment), for calls that outlive the check
   * made when they began.
   */
  record Device(String name, java.util.function.BooleanSupplier stillAllowed) implements Caller {}

  /** An admin user with a role. */
  record User(String name, Role role) implements Caller {}

  /** The enrollment call, which has no client certificate. */
  record Anonymous() implements Caller {}
}
