package io.bulwark.controller.api;

import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.Hello;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Queue;

/**
 * An agent's stream for tests of the agent service: it says hello and then reads only as many
 * messages as the test asks for ({@code request(n)} on the stream returned), so the controller's
 * side sees the flow control a slow agent gives it.
 */
final class ReadingAgent {
  private ReadingAgent() {}

  /**
   * Opens a stream on {@code to} and says hello; messages go to {@code received}, the sequences
   * acknowledged to {@code acks}, and a stream's error to {@code errors}.
   */
  static ClientCallStreamObserver<AgentMessage> connect(ManagedChannel to, Queue<ControllerMessage> received,
      Queue<Long> acks, Queue<Throwable> errors) {
    return connect(to, Hello.newBuilder().setApplier("dry-run").build(), received, acks, errors);
  }

  /** As {@link #connect(ManagedChannel, Queue, Queue, Queue)}, saying {@code hello}. */
  static ClientCallStreamObserver<AgentMessage> connect(ManagedChannel to, Hello hello,
      Queue<ControllerMessage> received, Queue<Long> acks, Queue<Throwable> errors) {
    var opened = new java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<AgentMessage>>();
    AgentServiceGrpc.newStub(to).connect(new ClientResponseObserver<AgentMessage, ControllerMessage>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<AgentMessage> stream) {
        opened.set(stream);
        stream.disableAutoRequestWithInitial(0);
      }

      @Override
      public void onNext(ControllerMessage value) {
        if (value.hasStatusAck()) {
          acks.add(value.getStatusAck().getSequence());
        } else {
          received.add(value);
        }
      }

      @Override
      public void onError(Throwable t) {
        errors.add(t);
      }

      @Override
      public void onCompleted() {}
    });
    ClientCallStreamObserver<AgentMessage> stream = opened.get();
    stream.onNext(AgentMessage.newBuilder().setHello(hello).build());
    return stream;
  }
}
