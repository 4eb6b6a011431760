package io.bulwark.controller.api;

import io.bulwark.controller.pki.Identities;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Establishes the {@link Caller} of every call from the TLS peer certificate (which the TLS
 * layer already verified against the controller's CA) and refuses calls whose certificate does
 * not name the kind of caller the service expects.
 */
public final class PeerAuthInterceptor implements ServerInterceptor {

  /** The kind of caller a service accepts. */
  public enum Expect {
    ANONYMOUS,
    DEVICE,
    USER
  }

  private final Expect expect;
  private final Predicate<X509Certificate> activeUser;
  private final DevicePeers devices;

  /** For anonymous callers. */
  public PeerAuthInterceptor(Expect expect) {
    this(expect, cert -> false, DevicePeers.unrecorded((device, notBefore) -> false));
  }

  /**
   * @param activeUser whether a user certificate is still active (issued here, not revoked);
   *     asked on every call, so a revocation takes effect at the next call
   */
  public PeerAuthInterceptor(Expect expect, Predicate<X509Certificate> activeUser) {
    this(expect, activeUser, DevicePeers.unrecorded((device, notBefore) -> false));
  }

  /**
   * For devices: whether the device's certificate is refused (revoked, or issued before its latest
   * enrollment) or no longer valid is asked on every call, so that such a device can make no call
   * on a connection it opened before (or resumed without a full handshake), in addition to the
   * check at each TLS handshake.
   */
  static PeerAuthInterceptor devices(DevicePeers devices) {
    return new PeerAuthInterceptor(Expect.DEVICE, cert -> false, devices);
  }

  private PeerAuthInterceptor(Expect expect, Predicate<X509Certificate> activeUser, DevicePeers devices) {
    this.expect = expect;
    this.activeUser = activeUser;
    this.devices = devices;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<Caller> caller = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (caller.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription(refusal()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(Caller.KEY, caller.get());
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private Optional<Caller> identify(SSLSession session) {
    if (expect == Expect.ANONYMOUS) {
      return Optional.of(new Caller.Anonymous());
    }
    X509Certificate leaf = leaf(session);
    if (leaf == null) {
      return Optional.empty();
    }
    if (expect == Expect.DEVICE) {
      return devices.deviceForCall(leaf)
          .map(name -> new Caller.Device(name, () -> devices.deviceForCall(leaf).filter(name::equals).isPresent()));
    }
    Optional<String> user = Identities.single(leaf, Identities.USER);
    Optional<Role> role = Identities.single(leaf, Identities.ROLE).flatMap(Role::parse);
    if (user.isEmpty() || role.isEmpty() || !activeUser.test(leaf)) {
      return Optional.empty();
    }
    return Optional.of(new Caller.User(user.get(), role.get()));
  }

  private static X509Certificate leaf(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private String refusal() {
    return expect == Expect.DEVICE
        ? "a device certificate issued by this controller, for a device not revoked, is required"
        : "an active user certificate issued by this controller is required";
  }
}
