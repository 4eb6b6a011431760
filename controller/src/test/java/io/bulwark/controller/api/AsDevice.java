package io.bulwark.controller.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

/** Names the caller as the interceptor does from a client certificate (for tests of the agent service). */
final class AsDevice implements ServerInterceptor {
  private final String device;
  private final java.util.function.BooleanSupplier allowed;

  AsDevice(String device) {
    this(device, () -> true);
  }

  AsDevice(String device, java.util.function.BooleanSupplier allowed) {
    this.device = device;
    this.allowed = allowed;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return Contexts.interceptCall(Context.current().withValue(Caller.KEY, new Caller.Device(device, allowed)), call, headers,
        next);
  }

  /** An in-process server running {@code service} for this device, and a channel to it. */
  Served serve(AgentGrpcService service) throws java.io.IOException {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, this)).build().start();
    return new Served(server, InProcessChannelBuilder.forName(name).directExecutor().build());
  }

  record Served(Server server, ManagedChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }
}
